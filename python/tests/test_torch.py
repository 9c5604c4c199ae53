"""to_torch against real PyTorch (installed in the test venv from scripts/requirements-pyclient.txt):
tensors of the right dtype, every row once under DataLoader workers started by fork and by
spawn (which must unpickle the dataset), and a clear message when torch is missing."""

from __future__ import annotations

import sys

import pyarrow as pa
import pytest
import torch
from torch.utils.data import DataLoader, IterableDataset

import splitvault

ROWS = 1000
TABLE = pa.table(
    {
        "x": list(range(ROWS)),
        "y": [i / 3 for i in range(ROWS)],
        "ok": [i % 2 == 0 for i in range(ROWS)],
        "name": [f"r{i}" for i in range(ROWS)],
    }
)


def test_to_torch_yields_record_batches_with_numeric_and_boolean_columns_as_writable_tensors() -> None:
    dataset = splitvault.to_torch(TABLE, batch_size=400)
    assert isinstance(dataset, IterableDataset)
    batches = list(dataset)
    assert len(batches) == len(dataset) == 3
    first = batches[0]
    assert first["x"].dtype == torch.int64
    assert first["x"][:4].tolist() == [0, 1, 2, 3]
    assert first["y"].dtype == torch.float64
    assert first["y"][3].item() == 1.0
    assert first["ok"].dtype == torch.bool
    assert first["ok"][:2].tolist() == [True, False]
    assert batches[2]["name"][:2] == ["r800", "r801"]
    first["x"] += 1  # training code may change a batch in place: it owns a copy
    assert next(iter(dataset))["x"][0].item() == 0


@pytest.mark.parametrize("context", ["fork", "spawn"])
def test_a_dataloader_with_two_workers_sees_every_row_exactly_once(context: str) -> None:
    dataset = splitvault.to_torch(TABLE, batch_size=100)
    loader = DataLoader(dataset, batch_size=None, num_workers=2, multiprocessing_context=context)
    seen = sorted(int(v) for batch in loader for v in batch["x"])
    assert seen == list(range(ROWS))


def test_a_converter_whose_library_is_missing_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r"splitvault\[torch\]"):
        splitvault.to_torch(TABLE)
