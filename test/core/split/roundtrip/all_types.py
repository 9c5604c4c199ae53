"""Round trip of every Arrow type split-v1 carries, for test/core/split/roundtrip.test.ts.

  all_types.py make DIR     writes DIR/all.arrow (IPC file, one dictionary per column) and
                            DIR/all.arrows (IPC stream, three batches whose dictionaries differ)
  all_types.py check RUN    RUN is a JSON list of {source, files, assignments}; reads every split
                            file with pyarrow and polars and compares it, value by value and
                            schema with metadata, with the source rows the assignment names;
                            prints "checked N runs" and the columns polars cannot read.
"""

import datetime as dt
import decimal
import json
import os
import sys

# polars 2.1 imports a month-day-nano interval only as a struct, and only when asked to.
os.environ["POLARS_IMPORT_INTERVAL_AS_STRUCT"] = "1"

import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402

ROWS = 1500
SPLITS = ("train", "validation", "test")


def nullify(values, every):
    return [None if i % every == every - 1 else v for i, v in enumerate(values)]


def columns(n):
    r = range(n)
    ts = [1_700_000_000 + i * 37 for i in r]
    cols = {
        "id": pa.array(list(r), pa.int64()),
        "group": pa.array([i % 97 for i in r], pa.int32()),
        "f16": pa.array(nullify([float(i % 50) / 4 for i in r], 7), pa.float16()),
        "dec128": pa.array(nullify([decimal.Decimal(i * 7 - 500) / 1000 for i in r], 5), pa.decimal128(10, 3)),
        "dec256": pa.array(nullify([decimal.Decimal(i) ** 5 / 100000 for i in r], 6), pa.decimal256(40, 5)),
        "date32": pa.array(nullify([dt.date(2000, 1, 1) + dt.timedelta(days=i) for i in r], 8), pa.date32()),
        "date64": pa.array(nullify([dt.date(1969, 12, 1) + dt.timedelta(days=i) for i in r], 9), pa.date64()),
        "time32s": pa.array(nullify([i * 13 % 86400 for i in r], 4), pa.time32("s")),
        "time32ms": pa.array(nullify([i * 1301 % 86400000 for i in r], 4), pa.time32("ms")),
        "time64us": pa.array(nullify([i * 130_001 for i in r], 4), pa.time64("us")),
        "time64ns": pa.array(nullify([i * 130_000_001 for i in r], 4), pa.time64("ns")),
        "mdn": pa.array(nullify([pa.scalar((i % 13, i % 31 - 15, i * 1001), pa.month_day_nano_interval()).as_py() for i in r], 6), pa.month_day_nano_interval()),
        "nothing": pa.nulls(n),
        "image": pa.array(nullify([bytes([i % 256, 0, 255, i % 7]) * (i % 5) for i in r], 10), pa.binary()),
        "audio": pa.array(nullify([bytes([i % 251]) * (i % 9) for i in r], 11), pa.large_binary()),
        "text": pa.array(nullify([f"row {i} é" for i in r], 12), pa.large_string()),
        "tokens": pa.array(nullify([[i * j % 30000 for j in range(i % 12)] for i in r], 9), pa.list_(pa.int64())),
        "words": pa.array(nullify([[f"w{j}" for j in range(i % 4)] for i in r], 7), pa.large_list(pa.string())),
        "embedding": pa.array(nullify([[(i + j) / 768 for j in range(768)] for i in r], 13), pa.list_(pa.float32(), 768)),
        "meta": pa.array(
            nullify([{"a": i, "b": [f"x{i % 3}"] * (i % 3), "c": {"d": i % 2 == 0}} for i in r], 6),
            pa.struct([("a", pa.int32()), ("b", pa.list_(pa.string())), ("c", pa.struct([("d", pa.bool_())]))]),
        ),
        "attrs": pa.array(nullify([[(f"k{j}", j / 2) for j in range(i % 3)] for i in r], 5), pa.map_(pa.string(), pa.float64())),
        "deep": pa.array(nullify([[[j % 100 - 50] * (j % 3) for j in range(i % 4)] for i in r], 8), pa.list_(pa.list_(pa.int8()))),
        "label": pa.array(nullify([["cat", "dog", "bird", "fish"][i % 4] for i in r], 10)).dictionary_encode(),
        "tag": pa.DictionaryArray.from_arrays(
            pa.array([i % 3 for i in r], pa.int32()), pa.array(["α", "β", "γ"], pa.large_string())
        ),
    }
    for unit in ("s", "ms", "us", "ns"):
        cols[f"ts_{unit}"] = pa.array(nullify(ts, 9), pa.timestamp("s")).cast(pa.timestamp(unit))
        cols[f"ts_{unit}_tz"] = pa.array(ts, pa.timestamp("s")).cast(pa.timestamp(unit, tz="Europe/Paris"))
        cols[f"dur_{unit}"] = pa.array(nullify([i * 1000 - 7 for i in r], 7), pa.duration(unit))
    cols["label"] = cols["label"].cast(pa.dictionary(pa.int8(), pa.string()))
    return cols


def schema_of(cols):
    fields = []
    for name, arr in cols.items():
        meta = {"source": f"column {name}"} if name in ("embedding", "label", "meta") else None
        fields.append(pa.field(name, arr.type, nullable=name != "id", metadata=meta))
    return pa.schema(fields, metadata={"dataset": "all types", "version": "1"})


def make(out):
    cols = columns(ROWS)
    table = pa.Table.from_arrays(list(cols.values()), schema=schema_of(cols))
    with pa.ipc.new_file(f"{out}/all.arrow", table.schema) as w:
        w.write_table(table, max_chunksize=ROWS)
    # A stream whose batches each have their own dictionaries, in different orders: the split
    # files must carry one dictionary unified by SPLIT-SPEC §6.4.
    with pa.ipc.new_stream(f"{out}/all.arrows", table.schema) as w:
        for start, stop in ((0, 400), (400, 1000), (1000, ROWS)):
            part = table.slice(start, stop - start)
            arrays = []
            for name, col in zip(part.column_names, part.columns):
                arr = col.combine_chunks()
                if pa.types.is_dictionary(arr.type):
                    values = arr.dictionary_decode() if hasattr(arr, "dictionary_decode") else arr.cast(arr.type.value_type)
                    dictionary = list(dict.fromkeys(v for v in reversed(values.to_pylist()) if v is not None))
                    if start == 400:
                        dictionary.append("only-in-the-dictionary")
                    enc = pa.array(dictionary, arr.type.value_type)
                    idx = pa.array([None if v is None else dictionary.index(v) for v in values.to_pylist()], arr.type.index_type)
                    arr = pa.DictionaryArray.from_arrays(idx, enc)
                arrays.append(arr)
            w.write_batch(pa.record_batch(arrays, schema=table.schema))


def unified_dictionary(column):
    """SPLIT-SPEC §6.4: the first chunk's dictionary, then later values not yet in it, in order."""
    out = list(column.chunks[0].dictionary.to_pylist())
    for chunk in column.chunks[1:]:
        for v in chunk.dictionary.to_pylist():
            if v not in out:
                out.append(v)
    return out


def values(column):
    """One array of the column's values (dictionaries decoded), compared element by element by equals()."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return column.combine_chunks()


def read_polars(path, name):
    try:
        return pl.read_ipc(path, columns=[name])
    except BaseException:  # noqa: BLE001 - polars panics on a type it lacks; reported, not hidden
        return None


def check(run):
    unreadable = set()
    for case in run:
        source = pa.ipc.open_stream(case["source"]).read_all() if case["source"].endswith(".arrows") else pa.ipc.open_file(case["source"]).read_all()
        for split in SPLITS:
            rows = case["assignments"][split]
            got = pa.ipc.open_file(case["files"][split]).read_all()
            where = f"{case['name']} {split}"
            assert got.schema.equals(source.schema, check_metadata=True), f"{where}: schema {got.schema} != {source.schema}"
            expected = source.take(pa.array(rows, pa.int64()))
            assert got.num_rows == len(rows), where
            for name in source.column_names:
                assert values(got.column(name)).equals(values(expected.column(name))), f"{where}: column {name}"
                if pa.types.is_dictionary(source.schema.field(name).type):
                    for chunk in got.column(name).chunks:
                        assert chunk.dictionary.to_pylist() == unified_dictionary(source.column(name)), f"{where}: dictionary {name}"
                back = read_polars(case["files"][split], name)
                if back is None:
                    unreadable.add(name)
                    continue
                want = pl.from_arrow(expected.select([name]))
                assert back.equals(want), f"{where}: polars column {name}"
    print(f"checked {len(run)} runs")
    print("polars cannot read: " + ",".join(sorted(unreadable)))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        with open(sys.argv[2]) as f:
            check(json.load(f))
