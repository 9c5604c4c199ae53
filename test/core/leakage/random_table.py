"""Writes a random table of every type split files carry, for the row identity property test
(identity-from-json.property.test.ts): pyarrow builds the values, the engine ingests the file.

Usage: random_table.py FORMAT ROWS OUT_DIR SEED..., FORMAT one of parquet, arrow, arrow-stream;
writes OUT_DIR/SEED.FORMAT for each seed. Parquet gets the types Parquet stores (no intervals,
no negative decimal scales).
"""

import datetime as dt
import decimal
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

fmt, rows, out_dir, seeds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
rnd = random.Random()


def maybe(value_fn, null_rate=0.15):
    return lambda: None if rnd.random() < null_rate else value_fn()


def text():
    alphabet = "ab c,\"\\\n\té日本語🙂\u0000"
    return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8)))


def floats():
    return rnd.choice(
        [0.0, -0.0, 1.0, -2.5, 0.1, 1e300, -1e-300, 5e-324, float("nan"), float("inf"), float("-inf"),
         rnd.uniform(-1e6, 1e6), float(rnd.randint(-2**53, 2**53)), 2.0**60]
    )


def dec(digits, scale):
    unscaled = rnd.randint(-(10**digits - 1), 10**digits - 1)
    return decimal.Decimal(unscaled).scaleb(-scale)


def ts():
    return rnd.randint(-2**40, 2**40)


def column(kind):
    """(arrow type, value maker) for one kind of column."""
    return {
        "i8": (pa.int8(), maybe(lambda: rnd.randint(-128, 127))),
        "u16": (pa.uint16(), maybe(lambda: rnd.randint(0, 65535))),
        "i32": (pa.int32(), maybe(lambda: rnd.randint(-2**31, 2**31 - 1))),
        "i64": (pa.int64(), maybe(lambda: rnd.choice([rnd.randint(-2**63, 2**63 - 1), rnd.randint(-9, 9)]))),
        "u64": (pa.uint64(), maybe(lambda: rnd.choice([2**64 - 1, rnd.randint(0, 2**64 - 1), 7]))),
        "f16": (pa.float16(), maybe(lambda: rnd.choice([0.5, -65504.0, 6.0e-8, 1.0, 3.140625]))),
        "f32": (pa.float32(), maybe(floats)),
        "f64": (pa.float64(), maybe(floats)),
        "bool": (pa.bool_(), maybe(lambda: rnd.random() < 0.5)),
        "utf8": (pa.string(), maybe(text)),
        "large_utf8": (pa.large_string(), maybe(text)),
        "binary": (pa.binary(), maybe(lambda: rnd.randbytes(rnd.randint(0, 6)))),
        "fsb": (pa.binary(3), maybe(lambda: rnd.randbytes(3))),
        "date32": (pa.date32(), maybe(lambda: dt.date(1, 1, 1) + dt.timedelta(days=rnd.randint(0, 3_000_000)))),
        "date64": (pa.date64(), maybe(lambda: dt.date(1970, 1, 1) + dt.timedelta(days=rnd.randint(-9999, 9999)))),
        "t32s": (pa.time32("s"), maybe(lambda: dt.time(rnd.randint(0, 23), rnd.randint(0, 59), rnd.randint(0, 59)))),
        "t64ns": (pa.time64("ns"), maybe(lambda: rnd.randint(0, 86_400 * 10**9 - 1))),
        "ts_s": (pa.timestamp("s"), maybe(ts)),
        "ts_ms_tz": (pa.timestamp("ms", tz="America/New_York"), maybe(ts)),
        "ts_us_utc": (pa.timestamp("us", tz="UTC"), maybe(lambda: rnd.randint(-62135596800 * 10**6, 253402300799 * 10**6))),
        "ts_ns": (pa.timestamp("ns"), maybe(lambda: rnd.randint(-2**63 + 1, 2**63 - 1))),
        "dur_us": (pa.duration("us"), maybe(lambda: rnd.randint(-2**62, 2**62))),
        "dec": (pa.decimal128(12, 3), maybe(lambda: dec(12, 3))),
        "dec0": (pa.decimal128(20, 0), maybe(lambda: dec(20, 0))),
        "dec256": (pa.decimal256(50, 10), maybe(lambda: dec(50, 10))),
        "list": (pa.list_(pa.int32()), maybe(lambda: [rnd.choice([None, rnd.randint(-5, 5)]) for _ in range(rnd.randint(0, 3))])),
        "large_list": (pa.large_list(pa.string()), maybe(lambda: [maybe(text)() for _ in range(rnd.randint(0, 3))])),
        "fsl": (pa.list_(pa.float32(), 2), maybe(lambda: [maybe(floats)(), floats()])),
        "struct": (
            pa.struct([("a", pa.int64()), ("b", pa.list_(pa.string())), ("c:d, e", pa.bool_())]),
            maybe(lambda: {"a": maybe(lambda: rnd.randint(-9, 9))(), "b": maybe(lambda: [text()])(), "c:d, e": rnd.random() < 0.5}),
        ),
        "map": (
            pa.map_(pa.string(), pa.int64()),
            maybe(lambda: [(text(), maybe(lambda: rnd.randint(-9, 9))()) for _ in range(rnd.randint(0, 3))]),
        ),
        "dict": (pa.dictionary(pa.int8(), pa.string()), maybe(lambda: rnd.choice(["x", "y", "zz", ""]))),
        "dict_i": (pa.dictionary(pa.uint16(), pa.int64()), maybe(lambda: rnd.choice([1, 2**40, -3]))),
        "null": (pa.null(), lambda: None),
        "mdn": (pa.month_day_nano_interval(), maybe(lambda: pa.MonthDayNano([rnd.randint(-12, 12), rnd.randint(-40, 40), rnd.randint(-2**62, 2**62)]))),
        "dec_neg": (pa.decimal128(5, -2), maybe(lambda: decimal.Decimal(rnd.randint(-99999, 99999)).scaleb(2))),
    }[kind]


KINDS = [
    "i8", "u16", "i32", "i64", "u64", "f16", "f32", "f64", "bool", "utf8", "large_utf8", "binary", "fsb",
    "date32", "date64", "t32s", "t64ns", "ts_s", "ts_ms_tz", "ts_us_utc", "ts_ns", "dur_us", "dec", "dec0",
    "dec256", "list", "large_list", "fsl", "struct", "map", "dict", "dict_i", "null",
]
ARROW_ONLY = ["mdn", "dec_neg"]


def write(seed):
    rnd.seed(seed)
    kinds = KINDS + (ARROW_ONLY if fmt != "parquet" else [])
    # A random subset in a random order, so column order and names vary from seed to seed.
    chosen = rnd.sample(kinds, rnd.randint(3, len(kinds)))
    arrays = []
    for kind in chosen:
        typ, make = column(kind)
        arrays.append(pa.array([make() for _ in range(rows)], type=typ))
    table = pa.Table.from_arrays(arrays, names=chosen)
    out = f"{out_dir}/{seed}.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, out, row_group_size=max(1, rows // 2))
        return
    new = pa.ipc.new_file if fmt == "arrow" else pa.ipc.new_stream
    with pa.OSFile(out, "wb") as sink, new(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(1, rows // 2))


for seed in seeds:
    write(int(seed))
print(f"wrote {len(seeds)} files")
