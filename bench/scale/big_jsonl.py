"""Nested JSON Lines of at least TARGET_BYTES bytes, for the bounded-memory sharded freeze of
nested columns (BENCHMARKS.md, "Freezing nested JSON Lines in shards").

Usage: python bench/scale/big_jsonl.py TARGET_BYTES SEED OUT_PATH

Each row is what a tokenized text corpus holds: an id, a label and a user (for stratified and
group splits), a source timestamp as text, `tokens` (a list of 16 to 1,024 token ids below
50,000), `spans` (a list of [start, end] lists) and `meta` (a struct whose `score` is an int
until the last 1,000 rows, where it widens to a float, and whose `lang` field first appears
after the first 10,000 rows). Token lists are drawn from a pool of 4,096 (seeded), so writing is
fast; the rows still differ by id. Stdlib only, deterministic for the same arguments.
"""

import json
import os
import random
import sys


def main() -> None:
    target, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    pool = []
    for _ in range(4096):
        n = int(16 * (64 ** rng.random()))
        pool.append(json.dumps([rng.randrange(50000) for _ in range(n)], separators=(",", ":")))
    spans = [json.dumps([[i, i + rng.randrange(1, 9)] for i in range(rng.randrange(0, 4))]) for _ in range(64)]
    tmp = out + ".tmp"
    i = 0
    with open(tmp, "w", encoding="utf-8", buffering=16 * 2**20) as sink:
        written = 0
        while written < target:
            lines = []
            for _ in range(10000):
                meta = f'{{"score":{i % 97},"src":"s{i % 13}"' + (f',"lang":"l{i % 7}"' if i >= 10000 else "") + "}"
                lines.append(
                    f'{{"id":{i},"label":"c{i % 5}","user":"u{(i * 7919) % 100000}",'
                    f'"at":"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T00:00:00Z",'
                    f'"tokens":{pool[rng.randrange(4096)]},"spans":{spans[i % 64]},"meta":{meta}}}\n'
                )
                i += 1
            block = "".join(lines)
            sink.write(block)
            written += len(block)
        # The last 1,000 rows: scores widen the meta.score position from Int64 to Float64.
        for _ in range(1000):
            sink.write(f'{{"id":{i},"label":"c{i % 5}","user":"u{i % 100000}","at":"2025-01-01T00:00:00Z",'
                       f'"tokens":[],"spans":null,"meta":{{"score":{i % 97}.5,"src":"s{i % 13}","lang":"l0"}}}}\n')
            i += 1
    os.replace(tmp, out)
    print(f"{out}: {os.path.getsize(out)} bytes, {i} rows")


if __name__ == "__main__":
    main()
