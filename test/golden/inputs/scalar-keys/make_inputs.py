"""Writes scalar-keys.arrow, the input of test/golden/scalar-keys.test.ts.

Run with the test venv (scripts/python-venv.sh): .tools/venv/bin/python make_inputs.py
The file is committed; rerun only to change the input, and review the golden diff after.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

N = 24
# Repeating patterns give stratified and group several rows per key; a few nulls.
ids = list(range(N))
dec = [Decimal(v) for v in ("1.50", "-0.05", "2.00", "1.50", "0.00", "-2.00", "0.10", "99.99")] * 3
dec[5] = None
dec256 = [Decimal(v) for v in ("123456789012345678901234567890.125", "-1.000", "7.500", "0.001")] * 6
t32 = [dt.time(9, 30, s % 6) for s in range(N)]
t64 = [(i * 7919 % 7) * 1_000_000_001 for i in range(N)]
dur = [((i % 6) - 1) * 3600 for i in range(N)]
dur[7] = None
d32 = [dt.date(2024, 1, 1 + (i % 6)) for i in range(N)]
d64 = [dt.datetime(2024, 3, 1 + (i % 6)) for i in range(N)]
f16 = np.array([(i % 6) * 0.25 - 0.5 for i in range(N)], dtype=np.float16)
fsb = [bytes([i % 6, 0xFF, 0, 0x80]) for i in range(N)]
fsb[3] = None
order = [(i * 37 % N) for i in range(N)]

table = pa.table(
    {
        "id": pa.array(ids, pa.int32()),
        "dec": pa.array(dec, pa.decimal128(9, 2)),
        "dec256": pa.array(dec256, pa.decimal256(40, 3)),
        "t32": pa.array(t32, pa.time32("ms")),
        "t64": pa.array(t64, pa.time64("ns")),
        "dur": pa.array(dur, pa.duration("s")),
        "d32": pa.array(d32, pa.date32()),
        "d64": pa.array(d64, pa.date64()),
        "f16": pa.array(f16, pa.float16()),
        "fsb": pa.array(fsb, pa.binary(4)),
        "dec_order": pa.array([Decimal(o) / 4 for o in order], pa.decimal128(6, 2)),
        "t_order": pa.array([o * 1000 for o in order], pa.time32("ms")),
        "dur_order": pa.array([o - 12 for o in order], pa.duration("ns")),
        "f16_order": pa.array(np.array([o / 8 for o in order], dtype=np.float16), pa.float16()),
        "iv": pa.array([pa.scalar((1, 2, 3), pa.month_day_nano_interval()).as_py()] * N, pa.month_day_nano_interval()),
    }
)
out = Path(__file__).with_name("scalar-keys.arrow")
with ipc.new_file(out, table.schema) as writer:
    writer.write_table(table)
print(f"wrote {out} ({out.stat().st_size} bytes, {N} rows)")

# The same table as an IPC stream, and a Parquet file with a bool column (no time order), for
# the tests that the schema is refused before any value is decoded.
with ipc.new_stream(out.with_suffix(".arrows"), table.schema) as writer:
    writer.write_table(table)
import pyarrow.parquet as pq  # noqa: E402

pq.write_table(
    pa.table({"id": pa.array(ids, pa.int64()), "flag": pa.array([i % 2 == 0 for i in ids])}),
    out.with_suffix(".parquet"),
)
