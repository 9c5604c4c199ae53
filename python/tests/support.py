"""Small data sets the tests freeze."""

from __future__ import annotations

import pandas as pd


def frame(rows: int = 300, seed: int = 0) -> pd.DataFrame:
    """Flat columns only (ints, floats, strings, bools): what every backend freezes today."""
    return pd.DataFrame(
        {
            "id": list(range(seed * 100_000, seed * 100_000 + rows)),
            "label": [["cat", "dog", "bird"][i % 3] for i in range(rows)],
            "score": [i * 0.5 for i in range(rows)],
            "ok": [i % 2 == 0 for i in range(rows)],
        }
    )


def assert_ranged_footer(url: str, size: int, rows: int) -> None:
    """Reads a split file's URL as fsspec does (1 KiB ranged blocks): the size it reports, the
    ARROW1 footer at the end, then the whole file from the start with `rows` rows."""
    import fsspec
    import pyarrow.ipc as ipc

    with fsspec.open(url, "rb", block_size=1024) as handle:
        assert handle.size == size
        handle.seek(size - 6)
        assert handle.read(6) == b"ARROW1"
        handle.seek(0)
        assert ipc.open_file(handle).read_all().num_rows == rows
