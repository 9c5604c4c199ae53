"""The benchmark's dataset (bench/generate.py) at any size, in one format only: one CSV file, or
Parquet cut into FILES files of consecutive rows, for the scale part of `npm run bench`.

Usage: python bench/scale/scale_data.py ROWS SEED csv|parquet OUT_DIR [FILES [ROW_GROUP_ROWS]]

The rows are generate.py's rows for the same ROWS and SEED (1M-row batches seeded by
(seed, batch index)), so the CSV is byte for byte generate.py's data.csv, and the Parquet files
hold the same rows in the same order. Only one format is written because at 50M rows the three
formats together (about 30 GB) would not fit beside the split files on a shared disk. Memory stays
at one batch. Prints a JSON line: {"rows", "format", "files": [{"path", "bytes"}]}.
"""

import json
import os
import sys

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from generate import BATCH_ROWS, SCHEMA, batch, csv_batch  # noqa: E402


def batches(rows: int, seed: int):
    for index, start in enumerate(range(0, rows, BATCH_ROWS)):
        yield batch(seed, index, min(BATCH_ROWS, rows - start), rows)


def write_csv(rows: int, seed: int, out_dir: str) -> list[str]:
    path = os.path.join(out_dir, "data.csv")
    writer = None
    for rb in batches(rows, seed):
        text = csv_batch(rb)
        if writer is None:
            writer = pacsv.CSVWriter(path + ".tmp", text.schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
        writer.write_batch(text)
    writer.close()
    os.replace(path + ".tmp", path)
    return [path]


def write_parquet(rows: int, seed: int, out_dir: str, files: int, group_rows: int) -> list[str]:
    # File i holds rows [i*rows/files, (i+1)*rows/files): a batch may straddle two files.
    bounds = [rows * i // files for i in range(files + 1)]
    paths = [os.path.join(out_dir, f"part-{i:05d}.parquet") for i in range(files)]
    current, writer, at = 0, None, 0
    for rb in batches(rows, seed):
        offset = 0
        while offset < rb.num_rows:
            if writer is None:
                writer = pq.ParquetWriter(paths[current] + ".tmp", SCHEMA, compression="snappy")
            take = min(rb.num_rows - offset, bounds[current + 1] - at)
            writer.write_batch(rb.slice(offset, take), row_group_size=group_rows)
            offset += take
            at += take
            if at == bounds[current + 1]:
                writer.close()
                os.replace(paths[current] + ".tmp", paths[current])
                writer, current = None, current + 1
    return paths


def main() -> None:
    rows, seed, fmt, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    files = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    # pyarrow's default: at most 1Mi rows a row group, and each written batch starts a new one.
    group_rows = int(sys.argv[6]) if len(sys.argv) > 6 else 1024 * 1024
    if rows <= 0 or files <= 0 or files > rows:
        sys.exit(f"need 0 < FILES <= ROWS, got rows={rows} files={files}")
    os.makedirs(out_dir, exist_ok=True)
    if fmt == "csv":
        paths = write_csv(rows, seed, out_dir)
    elif fmt == "parquet":
        paths = write_parquet(rows, seed, out_dir, files, group_rows)
    else:
        sys.exit(f"format must be csv or parquet, got {fmt!r}")
    print(json.dumps({"rows": rows, "format": fmt, "files": [{"path": p, "bytes": os.path.getsize(p)} for p in paths]}))


if __name__ == "__main__":
    main()
