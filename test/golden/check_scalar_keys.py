"""Independent check of the scalar-key golden vectors, from docs/SPLIT-SPEC.md §2.3-2.4 alone.

Reuses check_splits.py (the split-v1 reimplementation) with key and order rules for decimal,
time, duration, date, float16 and fixed-size binary written from the spec's tables, and checks
the engine's assignments, file hashes and rows with pyarrow. Usage: check_scalar_keys.py run.json
"""

import hashlib
import json
import os
import struct
import sys

import pyarrow as pa

sys.path.insert(0, os.path.dirname(__file__))
import check_splits  # noqa: E402

UNITS = {"s": "second", "ms": "millisecond", "us": "microsecond", "ns": "nanosecond"}
plain_key_bytes = check_splits.key_bytes


def stored_integers(col):
    """The stored integer of each row of a temporal column (None under a null)."""
    arr = col.combine_chunks()
    width = arr.type.bit_width
    return arr.view(pa.int32() if width == 32 else pa.int64()).to_pylist()


def decimal_key(v):
    sign, digits, exponent = v.as_tuple()
    unscaled = int("".join(map(str, digits)) or "0")
    if exponent >= 0:
        return f"i{(-1 if sign and unscaled else 1) * unscaled * 10**exponent}"
    whole, frac = divmod(unscaled, 10**-exponent)
    if frac == 0:
        return f"i{-whole if sign else whole}"
    fraction = str(frac).rjust(-exponent, "0").rstrip("0")
    return f"m{'-' if sign else ''}{whole}.{fraction}"


def float_key(x):
    if x.is_integer() and abs(x) <= 2**53:
        return f"i{int(x)}"
    return "f" + struct.pack(">d", x).hex()


def key_bytes(col):
    t = col.type
    if pa.types.is_decimal(t):
        return [b"n" if v is None else decimal_key(v).encode() for v in col.to_pylist()]
    for test, tag in ((pa.types.is_time, "h"), (pa.types.is_duration, "u")):
        if test(t):
            return [b"n" if v is None else f"{tag}{v}/{UNITS[t.unit]}".encode() for v in stored_integers(col)]
    if pa.types.is_date(t):
        unit = "day" if t == pa.date32() else "millisecond"
        return [b"n" if v is None else f"t{v}/{unit}".encode() for v in stored_integers(col)]
    if pa.types.is_float16(t):
        return [b"n" if v is None else float_key(float(v)).encode() for v in col.to_pylist()]
    if pa.types.is_fixed_size_binary(t):
        return [b"n" if v is None else b"x" + v for v in col.to_pylist()]
    return plain_key_bytes(col)


def order_values(col):
    t = col.type
    if pa.types.is_time(t) or pa.types.is_duration(t) or pa.types.is_date(t) or pa.types.is_timestamp(t):
        return stored_integers(col)
    if pa.types.is_float16(t):
        return [float(v) for v in col.to_pylist()]
    return col.to_pylist()  # integers, floats, Decimal (exact), str


def assign(table, spec):
    if spec["strategy"] != "time":
        return check_splits.assign(table, spec)
    n = table.num_rows
    raw = order_values(table.column(spec["orderBy"]))
    split_of = check_splits.by_position(sorted(range(n), key=lambda i: (raw[i], i)), n, spec["ratios"])
    return {s: [i for i in range(n) if split_of[i] == k] for k, s in enumerate(check_splits.SPLITS)}


def main():
    check_splits.key_bytes = key_bytes
    cases = json.load(open(sys.argv[1]))
    for case in cases:
        name = case["name"]
        source = pa.ipc.open_file(case["source"]).read_all()
        expected = assign(source, case["spec"])
        assert expected == case["assignments"], f"{name}: Python assignment differs from the engine's"
        for split in check_splits.SPLITS:
            data = open(case["files"][split], "rb").read()
            assert hashlib.sha256(data).hexdigest() == case["artifacts"][split], f"{name}/{split}: sha256"
            got = pa.ipc.open_file(case["files"][split]).read_all()
            want = source.take(pa.array(expected[split], type=pa.uint32()))
            assert got.schema.equals(source.schema), f"{name}/{split}: schema"
            assert got.equals(want), f"{name}/{split}: rows"
    print(f"checked {len(cases)} cases")


if __name__ == "__main__":
    main()
