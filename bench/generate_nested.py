"""Seeded nested and dictionary datasets for `npm run bench:engine`, as Arrow IPC files.

Usage: python bench/generate_nested.py CASE ROWS SEED OUT_DIR    (CASE: embedding | dictionary)

  embedding    id int64 and a 768-float32 embedding (FixedSizeList<Float32, 768>), 1 in 50 null
  dictionary   id int64, label Dictionary<Int8, Utf8> of 20 categories (pandas categorical),
               tokens List<Int32> of 0-31 ids

Prints one JSON line: rows, seed, arrowBytesInMemory (pyarrow's nbytes) and the file's path and
size. A file already present is kept (the name carries case, rows and seed).
"""

import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

DIM = 768
CATEGORIES = [f"category-{i:02d}" for i in range(20)]


def embedding(rows, rng):
    values = rng.standard_normal(rows * DIM, dtype=np.float32)
    valid = rng.random(rows) >= 0.02
    emb = pa.FixedSizeListArray.from_arrays(pa.array(values), DIM, mask=pa.array(~valid))
    return pa.table({"id": pa.array(np.arange(rows, dtype=np.int64)), "embedding": emb})


def dictionary(rows, rng):
    codes = rng.integers(0, len(CATEGORIES), rows, dtype=np.int8)
    label = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(CATEGORIES))
    lengths = rng.integers(0, 32, rows)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    items = rng.integers(0, 50_000, int(offsets[-1]), dtype=np.int32)
    tokens = pa.ListArray.from_arrays(pa.array(offsets), pa.array(items))
    return pa.table({"id": pa.array(np.arange(rows, dtype=np.int64)), "label": label, "tokens": tokens})


def main():
    case, rows, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{case}-{rows}-seed-{seed}.arrow")
    table = {"embedding": embedding, "dictionary": dictionary}[case](rows, np.random.default_rng(seed))
    if not os.path.exists(path):
        with ipc.new_file(path + ".tmp", table.schema) as w:
            w.write_table(table, max_chunksize=65_536)
        os.replace(path + ".tmp", path)
    meta = {"rows": rows, "seed": seed, "arrowBytesInMemory": table.nbytes, "path": path, "bytes": os.path.getsize(path)}
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
