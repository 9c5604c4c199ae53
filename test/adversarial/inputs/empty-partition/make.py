"""Two partitions of one table with a dictionary column, the second empty (pyarrow 26.0.1).

usage: make.py (writes next to itself)
"""

from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

here = Path(__file__).parent
t = pa.table(
    {
        "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
        "lab": pa.array(["a", "b", "a", "c", "b"]).dictionary_encode(),
    }
)
for name, part in [("d-full", t), ("d-empty", t.slice(0, 0))]:
    pq.write_table(part, here / f"{name}.parquet")
    with ipc.new_file(here / f"{name}.arrow", part.schema) as w:
        w.write_table(part)
