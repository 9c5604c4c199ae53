"""Writes the nested and dictionary golden inputs (pyarrow 26.0.1, .tools/venv/bin/python).

  generate.py DIR   writes DIR/nested.arrow (IPC file) and DIR/nested.arrows (IPC stream whose
                    three record batches carry different dictionaries: a replacement, then a delta)

The committed files are the inputs; this script documents how they were made. Regenerating
them with another pyarrow may change their bytes, and with them the golden manifest ids.
"""

import sys

import pyarrow as pa

ROWS = 48
LABELS = ["cat", "dog", "bird", "fish", "eel"]


def table():
    r = range(ROWS)
    cols = {
        "id": pa.array(list(r), pa.int64()),
        "label": pa.array([None if i % 11 == 10 else LABELS[(i * 7) % 5] for i in r]).dictionary_encode(),
        "user": pa.array([i % 9 for i in r], pa.int32()),
        "tokens": pa.array([None if i % 7 == 6 else [i * j for j in range(i % 4)] for i in r], pa.list_(pa.int32())),
        "embedding": pa.array(
            [None if i % 10 == 9 else [i / 4, -i / 8, i * 1.5, 0.0] for i in r], pa.list_(pa.float32(), 4)
        ),
        "meta": pa.array(
            [None if i % 6 == 5 else {"n": i, "tags": [f"t{i % 3}"] * (i % 3)} for i in r],
            pa.struct([("n", pa.int16()), ("tags", pa.list_(pa.string()))]),
        ),
        "attrs": pa.array([[(f"k{j}", j * 0.5) for j in range(i % 3)] for i in r], pa.map_(pa.string(), pa.float64())),
        "nothing": pa.nulls(ROWS),
    }
    cols["label"] = cols["label"].cast(pa.dictionary(pa.int8(), pa.string()))
    fields = [pa.field(k, v.type, metadata={"role": "label"} if k == "label" else None) for k, v in cols.items()]
    return pa.Table.from_arrays(list(cols.values()), schema=pa.schema(fields, metadata={"source": "golden nested"}))


def main(out):
    t = table()
    with pa.ipc.new_file(f"{out}/nested.arrow", t.schema) as w:
        w.write_table(t, max_chunksize=ROWS)
    label = t.schema.get_field_index("label")
    dictionaries = [["eel", "fish", "bird", "dog", "cat"], ["dog", "cat", "ant", "bird", "eel", "fish"], None]
    options = pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True)
    with pa.ipc.new_stream(f"{out}/nested.arrows", t.schema, options=options) as w:
        for (start, stop), dictionary in zip(((0, 16), (16, 32), (32, ROWS)), dictionaries):
            part = t.slice(start, stop - start).combine_chunks()
            values = part.column(label).chunk(0).cast(pa.string()).to_pylist()
            if dictionary is None:  # a delta: the previous dictionary and one more value
                dictionary = dictionaries[1] + ["owl"]
            indices = pa.array([None if v is None else dictionary.index(v) for v in values], pa.int8())
            column = pa.DictionaryArray.from_arrays(indices, pa.array(dictionary))
            batch = pa.record_batch(
                [column if i == label else c.chunk(0) for i, c in enumerate(part.columns)], schema=t.schema
            )
            w.write_batch(batch)


if __name__ == "__main__":
    main(sys.argv[1])
