"""An Arrow IPC file, ZSTD-compressed, of `rows` int64 zeros: a few KB that decompress to
8 × rows bytes, every declared length honest (the bomb is the ratio, not a patched prefix).

    python make-zstd-arrow-bomb.py ROWS OUT
"""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

rows, out = int(sys.argv[1]), sys.argv[2]
table = pa.table({"x": np.zeros(rows, dtype=np.int64)})
with ipc.new_file(out, table.schema, options=ipc.IpcWriteOptions(compression="zstd")) as writer:
    writer.write_table(table)
