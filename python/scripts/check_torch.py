"""A by-hand check of to_torch against real PyTorch, which CI does not install (539 MB wheel
plus about 2 GB of CUDA libraries). Run it in a venv with torch and this package:

    python scripts/check_torch.py
"""

from __future__ import annotations

import pyarrow as pa
import torch
from torch.utils.data import DataLoader

import splitvault


def main() -> None:
    rows = 1000
    table = pa.table(
        {
            "x": list(range(rows)),
            "y": [i / 3 for i in range(rows)],
            "ok": [i % 2 == 0 for i in range(rows)],
            "s": [str(i) for i in range(rows)],
        }
    )
    dataset = splitvault.to_torch(table, batch_size=100)
    assert isinstance(dataset, torch.utils.data.IterableDataset)
    first = next(iter(dataset))
    assert first["x"].dtype == torch.int64
    assert first["y"].dtype == torch.float64
    assert first["ok"].dtype == torch.bool
    assert first["s"][:2] == ["0", "1"]
    for context in ("fork", "spawn"):
        loader = DataLoader(dataset, batch_size=None, num_workers=2, multiprocessing_context=context)
        seen = sorted(int(v) for batch in loader for v in batch["x"])
        assert seen == list(range(rows)), context
    print(f"to_torch ok with torch {torch.__version__}: tensors, fork and spawn DataLoader workers")


if __name__ == "__main__":
    main()
