"""Parquet and Arrow inputs for the shard-ingest tests: several row groups, batches and
chunk dictionaries per file, nulls everywhere, and each table also cut into several files.

usage: make_binary.py OUT_DIR COUNT
"""

import random
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq


def table(rng: random.Random, rows: int) -> pa.Table:
    def maybe(value):
        return None if rng.random() < 0.2 else value

    words = ["red", "green", "blue", "teal", "plum", "gold", "é", ""]
    label = [maybe(rng.choice(words[: rng.randint(1, len(words))])) for _ in range(rows)]
    return pa.table(
        {
            "id": pa.array(range(rows), pa.int64()),
            "n": pa.array([maybe(rng.randint(-5, 5)) for _ in range(rows)], pa.int32()),
            "x": pa.array([maybe(rng.random()) for _ in range(rows)], pa.float64()),
            "ok": pa.array([maybe(rng.random() < 0.5) for _ in range(rows)], pa.bool_()),
            "s": pa.array([maybe("v" * rng.randint(0, 5)) for _ in range(rows)], pa.string()),
            "label": pa.array(label, pa.string()).dictionary_encode(),
            "tags": pa.array(
                [maybe([rng.randint(0, 9) for _ in range(rng.randint(0, 3))]) for _ in range(rows)],
                pa.list_(pa.int16()),
            ),
            "pt": pa.array(
                [maybe({"a": rng.randint(0, 3), "b": maybe("w")}) for _ in range(rows)],
                pa.struct([("a", pa.int8()), ("b", pa.string())]),
            ),
        }
    )


def batches(rng: random.Random, t: pa.Table) -> list[pa.RecordBatch]:
    """Random batch lengths, each batch re-encoding its dictionary (its own chunk dictionary)."""
    out, at = [], 0
    while at < t.num_rows:
        n = rng.randint(1, max(1, t.num_rows // 3))
        piece = t.slice(at, n)
        label = piece.column("label").combine_chunks().dictionary_decode().dictionary_encode()
        piece = piece.set_column(piece.schema.get_field_index("label"), "label", label)
        out.extend(piece.to_batches())
        at += n
    return out


def growing(rng: random.Random, t: pa.Table) -> list[pa.RecordBatch]:
    """Random batch lengths whose dictionaries only grow (the file format's delta dictionaries)."""
    out, at, seen = [], 0, []
    while at < t.num_rows:
        n = rng.randint(1, max(1, t.num_rows // 3))
        piece = t.slice(at, n)
        values = piece.column("label").combine_chunks().dictionary_decode().to_pylist()
        seen.extend(v for v in dict.fromkeys(values) if v is not None and v not in seen)
        indices = pa.array([None if v is None else seen.index(v) for v in values], pa.int32())
        label = pa.DictionaryArray.from_arrays(indices, pa.array(seen, pa.string()))
        piece = piece.set_column(piece.schema.get_field_index("label"), "label", label)
        out.extend(piece.combine_chunks().to_batches())
        at += n
    return out


def write_arrow(path: Path, t: pa.Table, parts: list[pa.RecordBatch], stream: bool) -> None:
    options = ipc.IpcWriteOptions(emit_dictionary_deltas=True)
    sink = pa.OSFile(str(path), "wb")
    writer = (ipc.new_stream if stream else ipc.new_file)(sink, t.schema, options=options)
    for batch in parts:
        writer.write_batch(batch)
    writer.close()
    sink.close()


def hybrid(out: Path) -> None:
    """An Arrow file whose schema message says k=v and whose footer says k=w (same lengths)."""
    files = []
    for value in ("v", "w"):
        t = pa.table({"a": pa.array(range(6), pa.int32())}).replace_schema_metadata({"k": value})
        sink = pa.BufferOutputStream()
        with ipc.new_file(sink, t.schema) as writer:
            for batch in t.to_batches(max_chunksize=2):
                writer.write_batch(batch)
        files.append(bytearray(sink.getvalue().to_pybytes()))
    length = int.from_bytes(files[0][12:16], "little", signed=True)
    files[1][8 : 16 + length] = files[0][8 : 16 + length]
    (out / "hybrid.arrow").write_bytes(bytes(files[1]))


def odd_names(out: Path) -> None:
    """Columns named "" and "null", and a struct with a field named "" (all legal names)."""
    t = pa.table({"": pa.array([1, 2, 3, 4], pa.int32()), "null": [{"": 1}, None, {"": 3}, {"": None}]})
    pq.write_table(t, out / "names.parquet", row_group_size=2)
    write_arrow(out / "names.arrow", t, t.to_batches(max_chunksize=2), stream=False)


def main() -> None:
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    hybrid(out)
    odd_names(out)
    for seed in range(count):
        rng = random.Random(seed)
        t = table(rng, rng.randint(1, 60))
        cuts = sorted(rng.sample(range(1, t.num_rows), min(2, t.num_rows - 1))) if t.num_rows > 1 else []
        pieces = [t.slice(a, b - a) for a, b in zip([0, *cuts], [*cuts, t.num_rows])]
        for name, part in [("whole", t), *((f"part{k}", p) for k, p in enumerate(pieces))]:
            pq.write_table(part, out / f"{seed}-{name}.parquet", row_group_size=rng.randint(1, 20))
            # Flat columns only: the reader's row-group path, not its nested one.
            flat = part.select(["id", "n", "x", "ok", "s"])
            pq.write_table(flat, out / f"{seed}-{name}.flat.parquet", row_group_size=rng.randint(1, 20))
            try:
                write_arrow(out / f"{seed}-{name}.arrow", part, growing(rng, part), stream=False)
            except pa.ArrowInvalid:
                # This writer refuses some delta sequences: then every batch shares one dictionary.
                whole = part.combine_chunks()
                shared = [b for s in range(0, part.num_rows, 7) for b in whole.slice(s, 7).to_batches()]
                write_arrow(out / f"{seed}-{name}.arrow", part, shared, stream=False)
            write_arrow(out / f"{seed}-{name}.arrows", part, batches(rng, part), stream=True)
        (out / f"{seed}.parts").write_text(str(len(pieces)))


main()
