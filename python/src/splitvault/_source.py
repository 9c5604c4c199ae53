"""Turns what ``freeze`` accepts (a path, a pyarrow Table, a pandas or polars DataFrame, a
Hugging Face Dataset) into files on disk with their SHA-256, ready to register and upload."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc

_MEDIA_TYPES = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "jsonl": "application/jsonl",
    "parquet": "application/vnd.apache.parquet",
    "arrow": "application/vnd.apache.arrow.file",
    "arrows": "application/vnd.apache.arrow.stream",
}

STREAM_MEDIA_TYPE = "application/vnd.apache.arrow.stream"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    size: int
    name: str
    media_type: str | None
    # Set for in-memory tables: written by us as an Arrow IPC stream.
    format: str | None = None


def hash_path(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def source_paths(source: str) -> list[Path]:
    """The files a path names, in row order: a file; every file under a directory (recursively,
    names starting with "." skipped); or the files a glob matches. Sorted by the bytes of each
    path, as ``splitvault freeze`` sorts them, so both give the same dataset id."""
    path = Path(source).expanduser()
    if path.is_file():
        return [path]
    if path.is_dir():
        matches = [
            str(p)
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
    else:
        matches = [p for p in glob.glob(os.path.expanduser(source), recursive=True) if os.path.isfile(p)]
    if not matches:
        raise FileNotFoundError(f"no file at {source}")
    return [Path(p) for p in sorted(set(matches), key=os.fsencode)]


def media_type(path: Path) -> str | None:
    extension = path.name.rsplit(".", 1)[-1].lower() if "." in path.name else ""
    return _MEDIA_TYPES.get(extension)


def to_arrow_table(source: Any) -> pa.Table | None:
    """The source as a pyarrow Table, or None when it is not an in-memory table we know."""
    if isinstance(source, pa.Table):
        return source
    if isinstance(source, pa.RecordBatch):
        return pa.Table.from_batches([source])
    module = type(source).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(source, preserve_index=False)
    if module == "polars":
        return source.to_arrow()
    if module == "datasets":
        # A Dataset's own Arrow table (a view of its cache files), after any select/filter.
        flattened = source.flatten_indices() if getattr(source, "_indices", None) is not None else source
        return flattened.data.table
    return None


def _plain(kind: pa.DataType) -> pa.DataType:
    if pa.types.is_dictionary(kind):
        # pandas categoricals: their values, which every split-v1 reader understands.
        return _plain(kind.value_type)
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    if pa.types.is_large_binary(kind) or pa.types.is_binary_view(kind):
        return pa.binary()
    return kind


def _plain_types(table: pa.Table) -> pa.Table:
    """Dictionary, large and view string/binary columns as their plain forms where they fit,
    and no schema metadata: the same rows give the same bytes (and dataset hash) whichever
    library made them."""
    fields = [pa.field(field.name, _plain(field.type), field.nullable) for field in table.schema]
    target = pa.schema(fields)
    with contextlib.suppress(pa.ArrowInvalid):  # a column past 2 GiB keeps its large type
        return table.replace_schema_metadata(None).cast(target)
    return table.replace_schema_metadata(None)


@contextlib.contextmanager
def prepared(source: Any, name: str | None = None) -> Iterator[SourceFile]:
    """The file to upload; a temporary Arrow IPC stream for in-memory tables, removed after."""
    table = to_arrow_table(source)
    if table is None:
        if not isinstance(source, (str, os.PathLike)):
            raise TypeError(
                "freeze takes a path, a pyarrow Table, a pandas or polars DataFrame or a "
                f"Hugging Face Dataset, not {type(source).__name__}"
            )
        paths = source_paths(os.fspath(source))
        if len(paths) != 1:
            raise ValueError(f"{source} names {len(paths)} files; freeze registers them as one dataset")
        path = paths[0]
        sha256, size = hash_path(path)
        yield SourceFile(path, sha256, size, name or path.name[:256], media_type(path))
        return
    table = _plain_types(table)
    fd, temp = tempfile.mkstemp(prefix="splitvault-", suffix=".arrows")
    try:
        with os.fdopen(fd, "wb") as handle, ipc.new_stream(handle, table.schema) as writer:
            writer.write_table(table)
        sha256, size = hash_path(Path(temp))
        yield SourceFile(
            Path(temp), sha256, size, name or f"table-{sha256[:12]}.arrows", STREAM_MEDIA_TYPE, "arrow-stream"
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
