"""Independent check of the stratified-group golden outputs, from docs/SPLIT-SPEC.md §2.4.1.

Reimplements the targets, the seeded size-descending order and the greedy placement with
Python integers, recomputes every manifest classShares entry, and checks the split files with
pyarrow. The shared pieces (splitmix64 streams, counts, keys, stratified allocation) come from
check_splits.py, itself written from the spec. Usage: check_stratified_group.py run.json
"""

import hashlib
import json
import sys

import pyarrow as pa

from check_splits import SPLITS, allocate, classes, counts, fisher_yates, key_bytes, manifest_id, stream


def assign(table, spec):
    n, ratios, seed = table.num_rows, spec["ratios"], spec["seed"]
    class_keys = key_bytes(table.column(spec["stratifyBy"]))
    ordered = sorted(set(class_keys))
    class_of = {k: c for c, k in enumerate(ordered)}
    groups = classes(key_bytes(table.column(spec["groupBy"])))
    sizes = [sum(1 for k in class_keys if k == key) for key in ordered]
    targets = allocate(sizes, ratios)
    h = []
    for members in groups:
        row = [0] * len(ordered)
        for i in members:
            row[class_of[class_keys[i]]] += 1
        h.append(row)
    order = fisher_yates(list(range(len(groups))), stream(seed, "stratified-group"))
    order.sort(key=lambda g: -len(groups[g]))  # sort() is stable
    a = [[0, 0, 0] for _ in ordered]
    deficit = counts(n, ratios)
    eligible = [k for k in range(3) if ratios[SPLITS[k]] > 0]
    split_of = [0] * n
    for g in order:

        def cost(k):
            return sum(hc * (2 * (a[c][k] - targets[c][k]) + hc) for c, hc in enumerate(h[g]))

        best = min(eligible, key=lambda k: (cost(k), -deficit[k], k))
        deficit[best] -= len(groups[g])
        for c, hc in enumerate(h[g]):
            a[c][best] += hc
        for i in groups[g]:
            split_of[i] = best
    out = {s: [i for i in range(n) if split_of[i] == k] for k, s in enumerate(SPLITS)}
    if spec.get("shuffle"):
        for s in SPLITS:
            fisher_yates(out[s], stream(seed, f"shuffle/{s}"))
    rows = [len(out[s]) for s in SPLITS]
    shares = [
        {
            "key": key.hex(),
            "overall": sizes[c] / n,
            **{s: (a[c][k] / rows[k] if rows[k] else 0) for k, s in enumerate(SPLITS)},
        }
        for c, key in enumerate(ordered)
    ]
    return out, shares


def check_case(case):
    name = case["name"]
    source = pa.ipc.open_file(case["source"]).read_all()
    expected, shares = assign(source, case["manifest"]["spec"])
    assert expected == case["assignments"], f"{name}: Python assignment differs from the engine's"
    assert shares == case["manifest"]["classShares"], f"{name}: class shares differ"
    for split in SPLITS:
        data = open(case["files"][split], "rb").read()
        assert hashlib.sha256(data).hexdigest() == case["artifacts"][split], f"{name}/{split}: sha256"
        got = pa.ipc.open_file(case["files"][split]).read_all()
        want = source.take(pa.array(expected[split], type=pa.uint32()))
        assert got.to_pylist() == want.to_pylist(), f"{name}/{split}: rows"
    assert manifest_id(case["manifest"]) == case["manifestId"], f"{name}: manifest id"


def main():
    cases = json.load(open(sys.argv[1]))
    for case in cases:
        check_case(case)
    print(f"checked {len(cases)} stratified-group cases")


if __name__ == "__main__":
    main()
