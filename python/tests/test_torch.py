"""to_torch without torch installed (its wheel is 539 MB plus about 2 GB of CUDA libraries it
pulls, too much for CI): a stand-in module with the three names to_torch uses checks our
iteration, sharding and column handling. What it cannot check: real tensors, DataLoader
workers and pickling (checked by hand against torch 2.15.0; see RELIABILITY.md)."""

from __future__ import annotations

import sys
import types
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import splitvault


class FakeTensor:
    def __init__(self, array: np.ndarray[Any, Any]) -> None:
        self.array = array


@pytest.fixture
def fake_torch(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    worker: dict[str, Any] = {"info": None}
    data = types.ModuleType("torch.utils.data")

    class IterableDataset:
        pass

    data.IterableDataset = IterableDataset  # type: ignore[attr-defined]
    data.get_worker_info = lambda: worker["info"]  # type: ignore[attr-defined]
    utils = types.ModuleType("torch.utils")
    utils.data = data  # type: ignore[attr-defined]
    torch = types.ModuleType("torch")
    torch.utils = utils  # type: ignore[attr-defined]
    torch.from_numpy = FakeTensor  # type: ignore[attr-defined]
    for name, module in (("torch", torch), ("torch.utils", utils), ("torch.utils.data", data)):
        monkeypatch.setitem(sys.modules, name, module)
    # Imported afresh against this stand-in, not one an earlier test installed.
    monkeypatch.delitem(sys.modules, "splitvault._torch_dataset", raising=False)
    return types.SimpleNamespace(worker=worker, IterableDataset=IterableDataset)


TABLE = pa.table(
    {"x": list(range(10)), "y": [i / 2 for i in range(10)], "name": [f"r{i}" for i in range(10)]}
)


def test_to_torch_yields_every_row_once_in_record_batches_with_numeric_columns_as_tensors(fake_torch):
    dataset = splitvault.to_torch(TABLE, batch_size=4)
    assert isinstance(dataset, fake_torch.IterableDataset)
    batches = list(dataset)
    assert len(batches) == len(dataset) == 3
    assert [b["x"].array.tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0]["y"].array.tolist() == [0.0, 0.5, 1.0, 1.5]
    assert batches[2]["name"] == ["r8", "r9"]
    assert batches[0]["x"].array.flags.writeable


def test_to_torch_gives_each_dataloader_worker_a_disjoint_share_of_the_batches(fake_torch):
    dataset = splitvault.to_torch(TABLE, batch_size=2)
    seen = []
    for worker_id in range(2):
        fake_torch.worker["info"] = types.SimpleNamespace(id=worker_id, num_workers=2)
        seen.append([row for batch in dataset for row in batch["x"].array.tolist()])
    assert seen == [[0, 1, 4, 5, 8, 9], [2, 3, 6, 7]]


def test_a_converter_whose_library_is_missing_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r"splitvault\[torch\]"):
        splitvault.to_torch(TABLE)
