"""Writes nested.jsonl and nested.json: the same 40 rows of nested JSON (structs, lists of
ints, floats and structs, nulls and missing keys, a field whose kinds conflict and falls back to
canonical JSON text), for the golden vectors of JSON inference (SPLIT-SPEC §1.4.2) and the
nested split-file layout (§6). Deterministic: no randomness, fixed formatting."""

import json
from pathlib import Path

here = Path(__file__).parent
rows = []
for i in range(40):
    row = {
        "id": i,
        "label": ["cat", "dog", "bird"][(i * 7) % 3],
        "user": i % 9,
        "tokens": [(i * 31 + k * 17) % 1000 for k in range(i % 6)],
        "embedding": [round(((i + 1) * (k + 3)) % 17 / 4 - 2, 2) for k in range(4)],
        "meta": {"source": f"s{i % 4}", "score": (i * 13) % 10 / 2 if i % 5 else None},
        "spans": [{"start": k, "end": k + i % 3} for k in range(i % 3)],
    }
    if i % 7 == 3:
        row["tokens"] = None
    if i % 8 == 5:
        del row["meta"]
    # A position whose kinds conflict (number, string, object): canonical JSON text.
    row["extra"] = [i, f"v{i}", {"k": i, "a": [1.5, None]}][i % 3]
    rows.append(row)

(here / "nested.jsonl").write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows))
(here / "nested.json").write_text("[\n" + ",\n".join("  " + json.dumps(r) for r in rows) + "\n]\n")
