"""One big Parquet file for bench/shard/parquet-slice-rss.ts: many row groups, snappy, a text
column of random characters so the file is mostly incompressible data, written one row group
at a time so generating it takes little memory.

usage: big_parquet.py OUT_PATH GIGABYTES [ROWS_PER_GROUP=65536]
"""

import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def group(rng: np.random.Generator, start: int, rows: int) -> pa.Table:
    letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", dtype=np.uint8)
    width = 240
    text = letters[rng.integers(0, len(letters), size=rows * width)].tobytes()
    offsets = pa.array(np.arange(0, (rows + 1) * width, width, dtype=np.int32))
    note = pa.StringArray.from_buffers(rows, offsets.buffers()[1], pa.py_buffer(text))
    return pa.table(
        {
            "id": pa.array(np.arange(start, start + rows, dtype=np.int64)),
            "user": pa.array(np.char.add("u", (rng.integers(0, 100_000, size=rows)).astype(str))),
            "label": pa.array(rng.choice(["cat", "dog", "bird", "fish"], size=rows)),
            "score": pa.array(rng.random(rows)),
            "note": note,
        }
    )


def main() -> None:
    path, gigabytes = sys.argv[1], float(sys.argv[2])
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 65_536
    rng = np.random.default_rng(7)
    first = group(rng, 0, rows)
    with pq.ParquetWriter(path, first.schema, compression="snappy") as writer:
        writer.write_table(first, row_group_size=rows)
        start = rows
        while os.path.getsize(path) < gigabytes * 2**30:
            writer.write_table(group(rng, start, rows), row_group_size=rows)
            start += rows


if __name__ == "__main__":
    main()
