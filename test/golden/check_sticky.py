"""Independent check of the sticky re-freeze golden outputs, from docs/SPLIT-SPEC.md §8.5.

Reads the parent and child CSVs with pyarrow, splits the parent with check_splits.py's (or
check_stratified_group.py's) reimplementation of §2.4, computes §8.1 row and key identities with
hashlib, and applies §8.5 (kept rows, groups following, the strategy on the added sub-dataset,
shuffle over whole splits) with plain Python. Usage: check_sticky.py cases.json expected.json
"""

import hashlib
import json
import struct
import sys
from pathlib import Path

import check_splits
import check_stratified_group
import pyarrow as pa
import pyarrow.csv as pacsv
from check_splits import SPLITS, fisher_yates, key_bytes, stream

HERE = Path(__file__).parent


def split_rows(table, spec):
    """Rows of each split in source order (shuffle left out: only membership matters here)."""
    plain = {k: v for k, v in spec.items() if k != "shuffle"}
    if spec["strategy"] == "stratified-group":
        out, _ = check_stratified_group.assign(table, plain)
    else:
        out = check_splits.assign(table, plain)
    split_of = [0] * table.num_rows
    for k, s in enumerate(SPLITS):
        for i in out[s]:
            split_of[i] = k
    return split_of


def identities(table, by):
    if by is not None:
        prefix = b"splitvault-key-v1\0"
        return [hashlib.sha256(prefix + k).digest() for k in key_bytes(table.column(by))]
    names = [n.encode() for n in table.column_names]
    keys = [key_bytes(table.column(n)) for n in table.column_names]
    out = []
    for i in range(table.num_rows):
        enc = b"splitvault-row-v1\0"
        for name, col in zip(names, keys):
            enc += struct.pack(">I", len(name)) + name + struct.pack(">I", len(col[i])) + col[i]
        out.append(hashlib.sha256(enc).digest())
    return out


def strictest(splits):
    return max(splits)  # test (2) before validation (1) before train (0)


def sticky(parent, child, spec, child_spec, by):
    parent_of = split_rows(parent, spec)
    parent_ids = identities(parent, by)
    held = {}
    for i, ident in enumerate(parent_ids):
        held.setdefault(ident, set()).add(parent_of[i])
    ids = identities(child, by)
    n = child.num_rows
    split_of = [None] * n
    kept = [False] * n
    for i, ident in enumerate(ids):
        if ident in held:
            split_of[i] = strictest(held[ident])
            kept[i] = True
    if "groupBy" in child_spec:
        gkeys = key_bytes(child.column(child_spec["groupBy"]))
        homes = {}
        for i in range(n):
            if split_of[i] is not None:
                homes.setdefault(gkeys[i], set()).add(split_of[i])
        for i in range(n):
            if split_of[i] is None and gkeys[i] in homes:
                split_of[i] = strictest(homes[gkeys[i]])
    rest = [i for i in range(n) if split_of[i] is None]
    if rest:
        sub = child.take(pa.array(rest, type=pa.uint32()))
        for j, k in enumerate(split_rows(sub, child_spec)):
            split_of[rest[j]] = k
    out = {s: [i for i in range(n) if split_of[i] == k] for k, s in enumerate(SPLITS)}
    if child_spec.get("shuffle"):
        for s in SPLITS:
            fisher_yates(out[s], stream(child_spec["seed"], f"shuffle/{s}"))
    present = set(ids)
    removed = [0, 0, 0]
    for i, ident in enumerate(parent_ids):
        if ident not in present:
            removed[parent_of[i]] += 1
    counts = lambda flag: {s: sum(1 for i in out[s] if kept[i] == flag) for s in SPLITS}
    report = {"kept": counts(True), "added": counts(False), "removed": dict(zip(SPLITS, removed))}
    return out, report


def main():
    cases = json.load(open(sys.argv[1]))
    expected = json.load(open(sys.argv[2]))
    read = lambda name: pacsv.read_csv(HERE / "inputs" / "sticky" / name)
    for case in cases:
        want = expected[case["name"]]
        spec = case["spec"]
        out, report = sticky(
            read(case["parent"]), read(case["child"]), spec, case.get("childSpec", spec), case.get("by")
        )
        assert out == want["assignments"], f"{case['name']}: assignment differs from the engine's"
        for field in ("kept", "added", "removed"):
            assert report[field] == want["sticky"][field], f"{case['name']}: {field} differs"
    print(f"checked {len(cases)} sticky cases")


if __name__ == "__main__":
    main()
