"""Parquet files for the row-group slice tests: several row groups and pages per file, each
codec the engine reads, dictionary and plain encodings, page index and statistics on and off,
nulls, nested list and struct columns, int96 timestamps and Bloom filters.

usage: make_slices.py OUT_DIR
"""

import datetime
import random
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def table(seed: int, rows: int, dictionary: bool) -> pa.Table:
    rng = random.Random(seed)

    def maybe(value):
        return None if rng.random() < 0.2 else value

    start = datetime.datetime(2024, 1, 1)
    label = pa.array([rng.choice(["red", "green", "blue", "é", ""]) for _ in range(rows)], pa.string())
    return pa.table(
        {
            "id": pa.array(range(rows), pa.int64()),
            "label": label.dictionary_encode() if dictionary else label,
            "user": pa.array([f"u{rng.randint(0, 40)}" for _ in range(rows)], pa.string()),
            "at": pa.array([start + datetime.timedelta(seconds=rng.randint(0, 10**7)) for _ in range(rows)],
                           pa.timestamp("us")),
            "n": pa.array([maybe(rng.randint(-5, 5)) for _ in range(rows)], pa.int32()),
            "x": pa.array([maybe(rng.random()) for _ in range(rows)], pa.float64()),
            "s": pa.array([maybe("v" * rng.randint(0, 30)) for _ in range(rows)], pa.string()),
            "tags": pa.array(
                [maybe([rng.randint(0, 9) for _ in range(rng.randint(0, 3))]) for _ in range(rows)],
                pa.list_(pa.int16()),
            ),
            "pt": pa.array(
                [maybe({"a": rng.randint(0, 3), "b": maybe("w")}) for _ in range(rows)],
                pa.struct([("a", pa.int8()), ("b", pa.string())]),
            ),
        }
    )


def main() -> None:
    out = Path(sys.argv[1])
    rows = 700
    for codec in ["snappy", "zstd", "gzip", "none"]:
        pq.write_table(table(1, rows, True), out / f"{codec}-dict-index-stats.parquet", compression=codec,
                       row_group_size=100, data_page_size=512, write_page_index=True, write_statistics=True,
                       sorting_columns=[pq.SortingColumn(0)])
        pq.write_table(table(2, rows, False), out / f"{codec}-plain-bare.parquet", compression=codec,
                       row_group_size=90, data_page_size=512, use_dictionary=False, write_page_index=False,
                       write_statistics=False)
    pq.write_table(table(3, rows, False), out / "int96-v2-bloom.parquet", row_group_size=120,
                   use_deprecated_int96_timestamps=True, data_page_version="2.0", write_page_index=True,
                   bloom_filter_options={"user": {"ndv": 50, "fpp": 0.05}, "id": True})
    pq.write_table(table(4, 20000, True), out / "twenty.parquet", row_group_size=1000, write_page_index=True)
    flat = table(5, 1000, False).select(["id", "label", "user", "at", "n", "x", "s"])
    pq.write_table(flat, out / "flat.parquet", row_group_size=100, use_dictionary=False)


if __name__ == "__main__":
    main()
