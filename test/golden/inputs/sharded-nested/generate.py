"""Writes the inputs of test/golden/sharded-nested.test.ts (stdlib only, deterministic).

features.jsonl: 300 rows of what ML JSON Lines holds: token lists, a list of lists, a struct
whose fields turn up late ("late" first at row 200), nulls and empty lists, ints that widen to
floats only in the last rows, timestamps as text, and a column that mixes lists and scalars
(typed as canonical JSON text). part-0..2.jsonl are the same rows cut into three files, the
last without a final LF.
"""

import json
import random

rng = random.Random(15)
rows = []
for i in range(300):
    row = {"id": i, "label": f"c{i % 4}", "user": f"u{i % 25}", "at": f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"}
    n = rng.randrange(0, 7)
    row["tokens"] = None if i % 17 == 5 else [rng.randrange(0, 50000) for _ in range(n)]
    row["matrix"] = [[rng.randrange(-9, 10) for _ in range(rng.randrange(0, 3))] for _ in range(rng.randrange(0, 3))]
    score = rng.randrange(0, 100) if i < 280 else rng.randrange(0, 100) + 0.5
    feat = {"score": score, "seen": f"2023-0{1 + i % 9}-1{i % 10}"}
    if i % 3 == 0:
        feat["flags"] = [bool(rng.randrange(2)) for _ in range(rng.randrange(0, 3))]
    if i >= 200 and i % 5 == 0:
        feat["late"] = {"src": "s" + str(i % 7), "w": None}
    if i % 11 == 0:
        feat = None
    if i % 13 != 4:
        row["feat"] = feat
    row["extra"] = [i, i + 1] if i % 4 else ("x" if i % 8 else i)
    if i % 19 == 0:
        row["embedding"] = [round(rng.uniform(-1, 1), 3) for _ in range(4)]
    rows.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))

with open("features.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")
for k, (a, b) in enumerate([(0, 90), (90, 210), (210, 300)]):
    with open(f"part-{k}.jsonl", "w", encoding="utf-8") as f:
        f.write("\n".join(rows[a:b]) + ("" if k == 2 else "\n"))
