"""Seeded synthetic dataset for the benchmarks, written as CSV, Parquet (snappy) and Arrow IPC file.

Usage: python bench/generate.py ROWS SEED OUT_DIR

Rows are produced in batches whose random stream is seeded by (seed, batch index), so a given
rows+seed always yields the same bytes and memory stays bounded by one batch. Files already present
(with their meta.json) are kept: the cache key is the directory name, which the caller derives from
rows and seed.
"""

import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

BATCH_ROWS = 1_000_000
TEXT_CHARS = 100
LABELS = 5
EPOCH_MS = 1_700_000_000_000
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
ALPHABET = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz     ", dtype=np.uint8)

SCHEMA = pa.schema(
    [
        ("id", pa.utf8()),
        ("group_id", pa.int64()),
        ("label", pa.int64()),
        ("ts", pa.timestamp("ms", tz="UTC")),
        ("i0", pa.int64()),
        ("i1", pa.int64()),
        ("i2", pa.int64()),
        ("f0", pa.float64()),
        ("f1", pa.float64()),
        ("f2", pa.float64()),
        ("text", pa.utf8()),
    ]
)


def fixed_width_utf8(chars: np.ndarray) -> pa.Array:
    """A utf8 array from an (n, width) matrix of ASCII bytes, without a Python loop."""
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.utf8(), n, [None, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes())])


def uuids(rng: np.random.Generator, n: int) -> pa.Array:
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    nibbles = np.empty((n, 32), dtype=np.uint8)
    nibbles[:, 0::2] = HEX[raw >> 4]
    nibbles[:, 1::2] = HEX[raw & 0x0F]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for start, stop, at in ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24)):
        out[:, at : at + stop - start] = nibbles[:, start:stop]
    return fixed_width_utf8(out)


def texts(rng: np.random.Generator, n: int) -> pa.Array:
    # Windows into one random pool: realistic-looking, cheap, and still different per row.
    pool = ALPHABET[rng.integers(0, len(ALPHABET), size=1 << 20)]
    starts = rng.integers(0, len(pool) - TEXT_CHARS, size=n)
    return fixed_width_utf8(pool[starts[:, None] + np.arange(TEXT_CHARS)])


def batch(seed: int, index: int, n: int, total_rows: int) -> pa.RecordBatch:
    rng = np.random.default_rng([seed, index])
    groups = max(1, total_rows // 100)
    columns = [
        uuids(rng, n),
        pa.array(rng.integers(0, groups, size=n, dtype=np.int64)),
        pa.array(rng.integers(0, LABELS, size=n, dtype=np.int64)),
        pa.array(EPOCH_MS + rng.integers(0, 365 * 86_400_000, size=n, dtype=np.int64)).cast(SCHEMA.field("ts").type),
        pa.array(rng.integers(-1_000_000, 1_000_000, size=n, dtype=np.int64)),
        pa.array(rng.integers(0, 100, size=n, dtype=np.int64)),
        pa.array(rng.integers(0, 1 << 40, size=n, dtype=np.int64)),
        pa.array(rng.standard_normal(n)),
        pa.array(rng.uniform(0, 1000, size=n)),
        pa.array(np.round(rng.exponential(50, size=n), 3)),
        texts(rng, n),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)


def csv_batch(rb: pa.RecordBatch) -> pa.RecordBatch:
    # ISO-8601 with a "T", milliseconds (pyarrow's %S carries them) and "Z": the form CSV readers (ours included) infer as a timestamp.
    ts = pc.strftime(rb.column("ts"), format="%Y-%m-%dT%H:%M:%SZ")
    cols = [ts if name == "ts" else rb.column(name) for name in SCHEMA.names]
    return pa.RecordBatch.from_arrays(cols, names=SCHEMA.names)


def generate(rows: int, seed: int, out_dir: str) -> dict:
    os.makedirs(out_dir, exist_ok=True)
    paths = {fmt: os.path.join(out_dir, f"data.{fmt}") for fmt in ("csv", "parquet", "arrow")}
    tmp = {fmt: p + ".tmp" for fmt, p in paths.items()}
    nbytes = 0
    with (
        pa.OSFile(tmp["arrow"], "wb") as arrow_sink,
        ipc.new_file(arrow_sink, SCHEMA) as arrow_writer,
        pq.ParquetWriter(tmp["parquet"], SCHEMA, compression="snappy") as parquet_writer,
    ):
        csv_writer = None
        for index, start in enumerate(range(0, rows, BATCH_ROWS)):
            rb = batch(seed, index, min(BATCH_ROWS, rows - start), rows)
            nbytes += rb.nbytes
            arrow_writer.write_batch(rb)
            parquet_writer.write_batch(rb)
            text_rb = csv_batch(rb)
            if csv_writer is None:
                csv_writer = pacsv.CSVWriter(
                    tmp["csv"], text_rb.schema, write_options=pacsv.WriteOptions(quoting_style="needed")
                )
            csv_writer.write_batch(text_rb)
        if csv_writer is not None:
            csv_writer.close()
    for fmt in paths:
        os.replace(tmp[fmt], paths[fmt])
    return {
        "rows": rows,
        "seed": seed,
        "arrowBytesInMemory": nbytes,
        "files": {fmt: {"path": p, "bytes": os.path.getsize(p)} for fmt, p in paths.items()},
    }


def main() -> None:
    rows, seed, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if rows <= 0:
        sys.exit(f"rows must be positive, got {rows}")
    meta_path = os.path.join(out_dir, "meta.json")
    if os.path.exists(meta_path):
        print(open(meta_path).read())
        return
    started = time.perf_counter()
    meta = generate(rows, seed, out_dir)
    meta["generateSeconds"] = round(time.perf_counter() - started, 3)
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=2)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
