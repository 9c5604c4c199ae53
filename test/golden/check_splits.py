"""Independent check of split-v1 golden outputs, written from docs/SPLIT-SPEC.md alone.

Reads every split file with pyarrow and polars, compares rows and schema with the typed
source, reimplements the assignment of every strategy and the manifest id, and prints
"checked N cases" when all agree. Usage: check_splits.py run.json
"""

import hashlib
import json
import math
import struct
import sys

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

MASK = (1 << 64) - 1
SPLITS = ("train", "validation", "test")


class SplitMix64:
    def __init__(self, state):
        self.state = state

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        limit = 2**32 - (2**32 % bound)
        while True:
            x = self.next64() >> 32
            if x < limit:
                return x % bound


def stream(seed, purpose):
    digest = hashlib.sha256(f"split-v1/{purpose}/{seed}".encode()).digest()
    return SplitMix64(int.from_bytes(digest[:8], "big"))


def fisher_yates(items, prng):
    for i in range(len(items) - 1, 0, -1):
        j = prng.below(i + 1)
        items[i], items[j] = items[j], items[i]
    return items


def counts(n, ratios):
    r = [ratios[s] for s in SPLITS]
    ideal = [n * x for x in r]
    out = [math.floor(x) for x in ideal]
    order = sorted((k for k in range(3) if r[k] > 0), key=lambda k: (-(ideal[k] - out[k]), k))
    left = n - sum(out)
    i = 0
    while left > 0:
        out[order[i % len(order)]] += 1
        i += 1
        left -= 1
    return out


def key_bytes(col):
    """Canonical key bytes of every row (SPLIT-SPEC.md, canonical keys)."""
    t = col.type
    if pa.types.is_timestamp(t):
        unit = {"s": "second", "ms": "millisecond", "us": "microsecond", "ns": "nanosecond"}[t.unit]
        raw = pc.cast(col, pa.int64()).to_pylist()
        return [b"n" if v is None else f"t{v}/{unit}".encode() for v in raw]
    out = []
    for v in col.to_pylist():
        if v is None:
            out.append(b"n")
        elif isinstance(v, bool):
            out.append(b"b1" if v else b"b0")
        elif isinstance(v, int):
            out.append(f"i{v}".encode())
        elif isinstance(v, float):
            if v.is_integer() and abs(v) <= 2**53:
                out.append(f"i{int(v)}".encode())
            elif math.isnan(v):
                out.append(b"f7ff8000000000000")
            else:
                out.append(b"f" + struct.pack(">d", v).hex().encode())
        elif isinstance(v, str):
            out.append(b"s" + v.encode())
        else:
            raise TypeError(f"no key rule for {t}")
    return out


def classes(keys):
    ordered = sorted(set(keys))
    rank = {k: i for i, k in enumerate(ordered)}
    rows = [[] for _ in ordered]
    for i, k in enumerate(keys):
        rows[rank[k]].append(i)
    return rows


def by_position(order, n, ratios):
    tr, va, _ = counts(n, ratios)
    split_of = [0] * n
    for p, row in enumerate(order):
        split_of[row] = 0 if p < tr else 1 if p < tr + va else 2
    return split_of


def allocate(sizes, ratios):
    n = sum(sizes)
    totals = counts(n, ratios)
    shares = []
    for m in sizes:
        fl = [m * t // n for t in totals]
        rem = [m * t % n for t in totals]
        shares.append((fl, rem, m - sum(fl), sum(1 << k for k in range(3) if rem[k] > 0)))
    need = [totals[k] - sum(s[0][k] for s in shares) for k in range(3)]
    give = lambda s, y: min(s[2], bin(s[3] & y).count("1"))  # noqa: E731
    cap = {y: sum(give(s, y) for s in shares) for y in range(1, 8)}
    result = []
    for s in shares:
        fl, rem, up, mask = s
        for y in cap:
            cap[y] -= give(s, y)
        ranked = sorted((k for k in range(3) if mask >> k & 1), key=lambda k: (-rem[k], k))
        if up == 0:
            options = [0]
        elif up == 1:
            options = [1 << k for k in ranked]
        else:
            a, b, c = ranked
            options = [(1 << a) | (1 << b), (1 << a) | (1 << c), (1 << b) | (1 << c)]
        for ch in options:
            left = [need[k] - (ch >> k & 1) for k in range(3)]
            if min(left) >= 0 and all(cap[y] >= sum(left[k] for k in range(3) if y >> k & 1) for y in cap):
                break
        else:
            raise AssertionError("no feasible choice")
        need = left
        result.append([fl[k] + (ch >> k & 1) for k in range(3)])
    return result


def assign(table, spec):
    n, ratios, seed = table.num_rows, spec["ratios"], spec["seed"]
    strategy = spec["strategy"]
    if strategy == "random":
        split_of = by_position(fisher_yates(list(range(n)), stream(seed, "random")), n, ratios)
    elif strategy == "time":
        col = table.column(spec["orderBy"])
        raw = pc.cast(col, pa.int64()).to_pylist() if pa.types.is_timestamp(col.type) else col.to_pylist()
        split_of = by_position(sorted(range(n), key=lambda i: (raw[i], i)), n, ratios)
    elif strategy == "hash":
        keys = key_bytes(table.column(spec.get("key") or spec["groupBy"]))
        r = [ratios[s] for s in SPLITS]
        last = max(k for k in range(3) if r[k] > 0)
        split_of = []
        for kb in keys:
            u = int.from_bytes(hashlib.sha256(f"{seed}:".encode() + kb).digest()[:8], "big") / 2**64
            cum = 0.0
            for k in range(3):
                cum += r[k]
                if r[k] > 0 and (k == last or u < cum):
                    split_of.append(k)
                    break
    elif strategy == "group":
        groups = classes(key_bytes(table.column(spec["groupBy"])))
        order = fisher_yates(list(range(len(groups))), stream(seed, "group"))
        deficit = counts(n, ratios)
        eligible = [k for k in range(3) if ratios[SPLITS[k]] > 0]
        split_of = [0] * n
        for g in order:
            best = min(eligible, key=lambda k: (-deficit[k], k))
            deficit[best] -= len(groups[g])
            for row in groups[g]:
                split_of[row] = best
    elif strategy == "stratified":
        rows = classes(key_bytes(table.column(spec["stratifyBy"])))
        alloc = allocate([len(r) for r in rows], ratios)
        prng = stream(seed, "stratified")
        split_of = [0] * n
        for members, (tr, va, _) in zip(rows, alloc):
            for p, row in enumerate(fisher_yates(list(members), prng)):
                split_of[row] = 0 if p < tr else 1 if p < tr + va else 2
    else:
        raise ValueError(strategy)
    out = {s: [i for i in range(n) if split_of[i] == k] for k, s in enumerate(SPLITS)}
    if spec.get("shuffle"):
        for s in SPLITS:
            fisher_yates(out[s], stream(seed, f"shuffle/{s}"))
    return out


def manifest_id(manifest):
    """The SHA-256 of the manifest's canonical JSON without its id: keys sorted, no spaces."""
    content = {k: v for k, v in manifest.items() if k != "id"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def check_case(case):
    name = case["name"]
    source = pa.ipc.open_file(case["source"]).read_all()
    expected = assign(source, case["manifest"]["spec"])
    assert expected == case["assignments"], f"{name}: Python assignment differs from the engine's"
    for split in SPLITS:
        path = case["files"][split]
        data = open(path, "rb").read()
        assert hashlib.sha256(data).hexdigest() == case["artifacts"][split], f"{name}/{split}: sha256"
        got = pa.ipc.open_file(path).read_all()
        want = source.take(pa.array(expected[split], type=pa.uint32()))
        assert got.schema.equals(source.schema), f"{name}/{split}: schema differs"
        assert got.equals(want.combine_chunks()) or got.to_pylist() == want.to_pylist(), f"{name}/{split}: rows"
        frame = pl.read_ipc(path)
        assert frame.columns == source.column_names, f"{name}/{split}: polars columns"
        assert frame.height == len(expected[split]), f"{name}/{split}: polars rows"
        assert frame.equals(pl.from_arrow(want)), f"{name}/{split}: polars values"
    assert manifest_id(case["manifest"]) == case["manifestId"], f"{name}: manifest id"


def main():
    cases = json.load(open(sys.argv[1]))
    for case in cases:
        check_case(case)
    print(f"checked {len(cases)} cases")


if __name__ == "__main__":
    main()
