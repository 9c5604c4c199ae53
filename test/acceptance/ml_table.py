"""The Hugging Face-style ML table of issue 14, written the way users' tools write it, and the
check that each frozen split reads back in pyarrow equal to its source rows.

  ml_table.py make DIR     writes ml.parquet, ml-pandas.feather (pandas' default: LZ4),
                           ml-polars.arrow (polars' default write_ipc) and ml.jsonl
  ml_table.py check RUN    RUN is a JSON list of {format, source, splits: {name: path}};
                           prints "checked N splits" when every split matches its source rows

Rows are matched by the unique `id` column, so the check needs nothing from splitvault but
the split files: every source row is in exactly one split, and every split row equals the
source row with its id, column by column, with the source's field names, nullability and
metadata. Polars writes string and binary views, which splitvault's spec normalizes to large
string and large binary; that is the one type difference allowed.
"""

import base64
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

ROWS = 240
DIM = 768
LABELS = ["cat", "dog", "bird"]
SPLITS = ("train", "validation", "test")


def columns() -> dict:
    rng = np.random.default_rng(14)
    tokens = [rng.integers(0, 50_000, size=int(rng.integers(0, 24))).tolist() for _ in range(ROWS)]
    base = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    return {
        "id": list(range(ROWS)),
        "text": [f"sample {i} " + "lorem " * (i % 5) for i in range(ROWS)],
        "tokens": tokens,
        "embedding": rng.standard_normal((ROWS, DIM)).astype(np.float32),
        "label": [LABELS[i % 3] if i % 11 else LABELS[(i // 11) % 3] for i in range(ROWS)],
        "user": [i % 37 for i in range(ROWS)],
        "image": [bytes(rng.integers(0, 256, size=16 + i % 9, dtype=np.uint8)) for i in range(ROWS)],
        "created": [base + dt.timedelta(minutes=7 * ((i * 31) % ROWS)) for i in range(ROWS)],
    }


def make(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    c = columns()
    emb = pa.FixedSizeListArray.from_arrays(pa.array(c["embedding"].reshape(-1)), DIM)
    table = pa.table(
        {
            "id": pa.array(c["id"], pa.int64()),
            "text": pa.array(c["text"], pa.string()),
            "tokens": pa.array(c["tokens"], pa.list_(pa.int64())),
            "embedding": emb,
            "label": pa.array(c["label"]).dictionary_encode(),
            "user": pa.array(c["user"], pa.int32()),
            "image": pa.array(c["image"], pa.binary()),
            "created": pa.array(c["created"], pa.timestamp("us", tz="UTC")),
        }
    )
    pq.write_table(table, out / "ml.parquet")

    frame = pd.DataFrame(
        {
            "id": c["id"],
            "text": c["text"],
            "tokens": c["tokens"],
            "embedding": list(c["embedding"]),
            "label": pd.Categorical(c["label"], categories=LABELS),
            "user": c["user"],
            "image": c["image"],
            "created": pd.to_datetime(c["created"], utc=True),
        }
    )
    frame.to_feather(out / "ml-pandas.feather")

    pl.DataFrame(
        {
            "id": c["id"],
            "text": c["text"],
            "tokens": c["tokens"],
            "embedding": c["embedding"],
            "label": c["label"],
            "user": c["user"],
            "image": c["image"],
            "created": c["created"],
        },
        schema={
            "id": pl.Int64,
            "text": pl.String,
            "tokens": pl.List(pl.Int64),
            "embedding": pl.Array(pl.Float32, DIM),
            "label": pl.Categorical,
            "user": pl.Int32,
            "image": pl.Binary,
            "created": pl.Datetime("us", "UTC"),
        },
    ).write_ipc(out / "ml-polars.arrow")

    with open(out / "ml.jsonl", "w", encoding="utf-8") as f:
        for i in range(ROWS):
            row = {
                "id": c["id"][i],
                "text": c["text"][i],
                "tokens": c["tokens"][i],
                "embedding": [float(x) for x in c["embedding"][i]],
                "label": c["label"][i],
                "user": c["user"][i],
                "image": base64.b64encode(c["image"][i]).decode("ascii"),
                "created": c["created"][i].isoformat().replace("+00:00", "Z"),
            }
            f.write(json.dumps(row) + "\n")


def source_table(fmt: str, path: str) -> pa.Table:
    if fmt == "parquet":
        return pq.read_table(path)
    if fmt == "arrow":
        return ipc.open_file(path).read_all()
    raise ValueError(fmt)


def unview(t: pa.DataType) -> pa.DataType:
    """The type splitvault stores for a source type: views become large string/binary."""
    if t == pa.string_view():
        return pa.large_string()
    if t == pa.binary_view():
        return pa.large_binary()
    if pa.types.is_dictionary(t):
        return pa.dictionary(t.index_type, unview(t.value_type), t.ordered)
    if pa.types.is_fixed_size_list(t):
        return pa.list_(field_unview(t.value_field), t.list_size)
    if pa.types.is_large_list(t):
        return pa.large_list(field_unview(t.value_field))
    if pa.types.is_list(t):
        return pa.list_(field_unview(t.value_field))
    if pa.types.is_struct(t):
        return pa.struct([field_unview(f) for f in t])
    return t


def field_unview(f: pa.Field) -> pa.Field:
    return pa.field(f.name, unview(f.type), f.nullable, f.metadata)


def check_binary(run: dict) -> int:
    source = source_table(run["format"], run["source"])
    want_schema = pa.schema([field_unview(f) for f in source.schema], metadata=source.schema.metadata)
    by_id = {row["id"]: row for row in source.to_pylist()}
    seen: set[int] = set()
    for name in SPLITS:
        split = ipc.open_file(run["splits"][name]).read_all()
        assert split.schema.equals(want_schema, check_metadata=True), (
            f"{run['name']} {name}: schema\n{split.schema}\n!=\n{want_schema}"
        )
        for row in split.to_pylist():
            assert row == by_id[row["id"]], f"{run['name']} {name}: row {row['id']} differs"
            assert row["id"] not in seen, f"{run['name']}: row {row['id']} in two splits"
            seen.add(row["id"])
    assert seen == set(by_id), f"{run['name']}: {len(by_id) - len(seen)} source rows in no split"
    return len(SPLITS)


def check_jsonl(run: dict) -> int:
    rows = [json.loads(line) for line in Path(run["source"]).read_text("utf-8").splitlines()]
    by_id = {row["id"]: row for row in rows}
    seen: set[int] = set()
    for name in SPLITS:
        split = ipc.open_file(run["splits"][name]).read_all()
        assert split.schema.names == list(rows[0].keys()), f"{run['name']} {name}: column names"
        for row in split.to_pylist():
            want = dict(by_id[row["id"]])
            created = row["created"]
            got_created = created.isoformat().replace("+00:00", "Z") if created.tzinfo else created.isoformat() + "Z"
            assert got_created == want.pop("created"), f"{run['name']} {name}: created of {row['id']}"
            row.pop("created")
            assert row == want, f"{run['name']} {name}: row {row['id']} differs"
            assert row["id"] not in seen
            seen.add(row["id"])
    assert seen == set(by_id), f"{run['name']}: {len(by_id) - len(seen)} source rows in no split"
    return len(SPLITS)


def main() -> None:
    if sys.argv[1] == "make":
        make(Path(sys.argv[2]))
        print("made")
        return
    runs = json.loads(Path(sys.argv[2]).read_text("utf-8"))
    checked = sum(check_jsonl(r) if r["format"] == "jsonl" else check_binary(r) for r in runs)
    print(f"checked {checked} splits")


if __name__ == "__main__":
    main()
