"""Writes the Arrow inputs of the refusal-order golden vectors (test/golden/refusals.test.ts).

Usage: make_inputs.py OUT_DIR. The files are committed; rerun only to add a case, then check
that every existing file is byte-identical.
"""

import math
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

N = 40
MANY = 300


def write(out: str, name: str, table: pa.Table) -> None:
    with ipc.new_file(f"{out}/{name}.arrow", table.schema) as writer:
        writer.write_table(table, max_chunksize=16)


def floats(
    nan_at: frozenset[int] = frozenset(), null_at: frozenset[int] = frozenset(), typ: pa.DataType = pa.float64()
) -> pa.Array:
    values: list[float | None] = []
    for i in range(N):
        if i in null_at:
            values.append(None)
        elif i in nan_at:
            values.append(float("nan"))
        else:
            values.append(float((i * 7919) % 23) - 11.5)
    return pa.array(values, type=typ)


def main(out: str) -> None:
    ids = pa.array(range(N), type=pa.int64())
    # time: the first null or NaN in row order names the refusal, wherever the shards are cut
    write(out, "t-nan-then-null", pa.table({"id": ids, "ts": floats(nan_at=frozenset({13}), null_at=frozenset({20}))}))
    write(out, "t-null-then-nan", pa.table({"id": ids, "ts": floats(nan_at=frozenset({9}), null_at=frozenset({3}))}))
    write(out, "t-nan-first", pa.table({"id": ids, "ts": floats(nan_at=frozenset({0, 30}))}))
    write(out, "t-f32-nan-late", pa.table({"id": ids, "ts": floats(nan_at=frozenset({39}), typ=pa.float32())}))
    zeros = [0.0, -0.0, math.inf, -math.inf, 1.5, -1.5, 0.0, -0.0] * 5
    write(out, "t-zeros-infs", pa.table({"id": ids, "ts": pa.array(zeros, type=pa.float64())}))
    # stratified-group: which column check comes first
    cls = pa.array([i % 3 if i % 11 else None for i in range(N)], type=pa.int32())
    grp = pa.array([f"g{i // 3}" if i % 13 else None for i in range(N)], type=pa.string())
    lists = pa.array([[i, i + 1] for i in range(N)], type=pa.list_(pa.int64()))
    structs = pa.array([{"a": i} for i in range(N)], type=pa.struct([("a", pa.int64())]))
    write(out, "sg-ok", pa.table({"id": ids, "cls": cls, "grp": grp}))
    write(out, "sg-bad-group", pa.table({"id": ids, "cls": cls, "grp": lists}))
    write(out, "sg-bad-stratify", pa.table({"id": ids, "cls": structs, "grp": grp}))
    write(out, "sg-bad-both", pa.table({"id": ids, "cls": structs, "grp": lists}))
    many_ids = pa.array(range(MANY), type=pa.int64())
    one_class_each = pa.array(range(MANY), type=pa.int64())
    write(
        out,
        "sg-many-classes-bad-group",
        pa.table({"id": many_ids, "cls": one_class_each, "grp": pa.array([[i] for i in range(MANY)], type=pa.list_(pa.int64()))}),
    )
    write(
        out,
        "sg-many-classes",
        pa.table({"id": many_ids, "cls": one_class_each, "grp": pa.array([f"g{i % 7}" for i in range(MANY)])}),
    )
    # a schema and no rows; two rows, too few for three splits
    write(out, "empty", pa.table({"id": pa.array([], type=pa.int64()), "ts": pa.array([], type=pa.float64())}))
    write(out, "two-rows", pa.table({"id": pa.array([1, 2], type=pa.int64()), "ts": pa.array([1.0, float("nan")])}))
    write(out, "two-rows-ok", pa.table({"id": pa.array([1, 2], type=pa.int64()), "ts": pa.array([1.0, 2.0])}))


if __name__ == "__main__":
    main(sys.argv[1])
