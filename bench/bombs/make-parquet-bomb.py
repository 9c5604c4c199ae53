"""A Parquet file of `rows` rows whose one utf8 column repeats one 1,000-character value.

Written from a dictionary array, so neither this script nor the file holds the decoded
column; no Arrow schema is stored, so readers see plain utf8, as from any non-Arrow writer.

    python make-parquet-bomb.py ROWS OUT
"""
import sys

import pyarrow as pa
import pyarrow.parquet as pq

rows, out = int(sys.argv[1]), sys.argv[2]
values = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), pa.array(["x" * 1000]))
pq.write_table(pa.table({"text": values}), out, compression="zstd", store_schema=False, row_group_size=rows)
