"""The PyTorch dataset behind ``to_torch``. Its own module, imported only when ``to_torch`` is
called, so torch stays optional; at module level, so DataLoader workers started with "spawn"
(macOS, Windows) can unpickle it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import torch
from torch.utils.data import IterableDataset, get_worker_info


class ArrowBatches(IterableDataset[dict[str, Any]]):
    """One dict per record batch: numeric and boolean columns as tensors (writable copies:
    training code may change them in place), other columns as Python lists. Under a
    DataLoader with several workers, each worker takes every n-th batch."""

    def __init__(self, table: pa.Table, batch_size: int | None = None) -> None:
        super().__init__()
        self.schema = table.schema
        self.num_rows = table.num_rows
        self.batches = table.to_batches(max_chunksize=batch_size) if batch_size else table.to_batches()

    def __len__(self) -> int:
        return len(self.batches)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        info = get_worker_info()
        start, step = (info.id, info.num_workers) if info is not None else (0, 1)
        for batch in self.batches[start::step]:
            yield {name: _column(batch.column(name)) for name in batch.schema.names}


def _column(column: pa.Array) -> Any:
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
        return torch.from_numpy(column.to_numpy(zero_copy_only=False, writable=True))
    return column.to_pylist()
