"""A CSV of at least TARGET_BYTES bytes, in the benchmark's columns (bench/generate.py), for the
bounded-memory freeze measurement (BENCHMARKS.md, "Freezing 20 GB within a 2 GiB budget").

Usage: python bench/scale/big_csv.py TARGET_BYTES SEED OUT_PATH

Rows come in 1M-row batches seeded by (seed, batch index), so the same arguments give the same
bytes, and memory stays at one batch. Writing stops after the batch that reaches the target.
"""

import os
import sys

import pyarrow.csv as pacsv

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from generate import BATCH_ROWS, batch, csv_batch  # noqa: E402

# Bytes per row of the CSV form, measured on the 1M-row benchmark file; sizes the group count.
BYTES_PER_ROW = 245


def main() -> None:
    target, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rows_planned = max(BATCH_ROWS, target // BYTES_PER_ROW)
    tmp = out + ".tmp"
    writer = None
    index = 0
    with open(tmp, "wb") as sink:
        while sink.tell() < target:
            text = csv_batch(batch(seed, index, BATCH_ROWS, rows_planned))
            if writer is None:
                writer = pacsv.CSVWriter(sink, text.schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
            writer.write_batch(text)
            sink.flush()
            index += 1
        if writer is not None:
            writer.close()
    os.replace(tmp, out)
    print(f"{out}: {os.path.getsize(out)} bytes, {index * BATCH_ROWS} rows")


if __name__ == "__main__":
    main()
