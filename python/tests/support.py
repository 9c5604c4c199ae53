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
