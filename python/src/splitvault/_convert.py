"""Converters from the loaded Arrow data to the libraries training code uses. Each imports its
library only when called, so none of them is a required dependency."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, overload

import pyarrow as pa

if TYPE_CHECKING:
    import pandas
    import polars


def _need(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(f"this converter needs {module}: pip install 'splitvault[{extra}]'") from error


@overload
def to_pandas(data: Mapping[str, pa.Table]) -> dict[str, pandas.DataFrame]: ...
@overload
def to_pandas(data: pa.Table) -> pandas.DataFrame: ...
def to_pandas(
    data: pa.Table | Mapping[str, pa.Table],
) -> pandas.DataFrame | dict[str, pandas.DataFrame]:
    """A pandas DataFrame (or a dict of them for the three splits)."""
    _need("pandas", "pandas")
    if isinstance(data, Mapping):
        return {name: table.to_pandas() for name, table in data.items()}
    frame: pandas.DataFrame = data.to_pandas()
    return frame


@overload
def to_polars(data: Mapping[str, pa.Table]) -> dict[str, polars.DataFrame]: ...
@overload
def to_polars(data: pa.Table) -> polars.DataFrame: ...
def to_polars(
    data: pa.Table | Mapping[str, pa.Table],
) -> polars.DataFrame | dict[str, polars.DataFrame]:
    """A polars DataFrame (zero-copy where the types allow), or a dict of them."""
    pl = _need("polars", "polars")
    if isinstance(data, Mapping):
        return {name: pl.from_arrow(table) for name, table in data.items()}
    frame: polars.DataFrame = pl.from_arrow(data)
    return frame


def to_hf(data: pa.Table | Mapping[str, pa.Table]) -> Any:
    """A ``datasets.Dataset`` over the Arrow table itself (no copy), or a ``DatasetDict``."""
    datasets = _need("datasets", "datasets")
    from datasets.table import InMemoryTable

    def one(table: pa.Table) -> Any:
        return datasets.Dataset(InMemoryTable(table))

    if isinstance(data, Mapping):
        return datasets.DatasetDict({name: one(table) for name, table in data.items()})
    return one(data)


def to_torch(table: pa.Table, batch_size: int | None = None) -> Any:
    """A ``torch.utils.data.IterableDataset`` yielding one dict per record batch (at most
    ``batch_size`` rows each): numeric and boolean columns as tensors, others as lists."""
    _need("torch", "torch")
    from ._torch_dataset import ArrowBatches

    return ArrowBatches(table, batch_size)
