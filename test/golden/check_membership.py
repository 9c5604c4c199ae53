"""Checks the membership golden vector from docs/SPLIT-SPEC.md alone: computes each row's identity
from its JSON (§8.6 JSON rules, §2.3 keys, §8.1 encoding) for the scalar types the vector uses,
and verifies each proof (§8.3 with §8.6's wire format) against the vector's root and size.

Usage: check_membership.py vector.json. Prints "checked N proofs" when every one holds.
"""

import hashlib
import json
import struct
import sys
from decimal import Decimal


def u32(n):
    return struct.pack(">I", n)


def float_key(x):
    """§2.3: integers within 2^53 as i, every other double as f + its big-endian bits."""
    if x != x:
        return b"f7ff8000000000000"
    if x == int(x) and abs(x) <= 2**53:
        return b"i%d" % int(x)
    return b"f" + struct.pack(">d", x).hex().encode()


def value_encoding(type_, value):
    """§8.6's JSON form of one scalar, as its §8.1 value encoding."""
    if value is None:
        return b"n"
    if type_ in ("Int8", "Int16", "Int32", "Int64", "Uint8", "Uint16", "Uint32", "Uint64"):
        exact = Decimal(value) if isinstance(value, str) else Decimal(str(value))
        assert exact == exact.to_integral_value(), value
        return b"i%d" % int(exact)
    if type_ == "Float64":
        special = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
        return float_key(special[value] if isinstance(value, str) and value in special else float(value))
    if type_ == "Bool":
        assert isinstance(value, bool)
        return b"b1" if value else b"b0"
    if type_ == "Utf8":
        return b"s" + value.encode("utf-8")
    raise ValueError(f"type {type_} is not in this check")


def row_identity(schema, text):
    row = json.loads(text, parse_float=str, parse_int=str)
    assert sorted(row) == sorted(f["name"] for f in schema)
    out = b"splitvault-row-v1\x00"
    for field in schema:
        # Numbers arrive as their text (parse_int, parse_float), as strings holding numbers do.
        encoded = value_encoding(field["type"], row[field["name"]])
        name = field["name"].encode("utf-8")
        out += u32(len(name)) + name + u32(len(encoded)) + encoded
    return hashlib.sha256(out).hexdigest()


def leaf(x):
    return hashlib.sha256(b"\x00" + x).digest()


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def root_from_path(identity, index, size, path):
    """§8.3's walk: None unless the index fits and every path entry is used."""
    if not (0 <= index < size):
        return None
    h, i, s, k = leaf(identity), index, size, 0
    while s > 1:
        if i % 2 == 1:
            if k >= len(path):
                return None
            h, k = node(path[k], h), k + 1
        elif i + 1 < s:
            if k >= len(path):
                return None
            h, k = node(h, path[k]), k + 1
        i, s = i // 2, (s + 1) // 2
    return h if k == len(path) else None


def placed(entry, size, root):
    path = [bytes.fromhex(p) for p in entry["path"]]
    return root_from_path(bytes.fromhex(entry["identity"]), entry["index"], size, path) == root


def verify(identity, proof, root, size):
    """§8.6: a proof holds only for the trusted (root, size)."""
    if proof["size"] != size:
        return False
    if proof["member"]:
        return proof["leaf"]["identity"] == identity and placed(proof["leaf"], size, root)
    below, above = proof.get("below"), proof.get("above")
    if size == 0:
        return below is None and above is None and root == hashlib.sha256(b"").digest()
    if below and not (placed(below, size, root) and below["identity"] < identity):
        return False
    if above and not (placed(above, size, root) and identity < above["identity"]):
        return False
    if below and above:
        return above["index"] == below["index"] + 1
    if below:
        return below["index"] == size - 1
    if above:
        return above["index"] == 0
    return False


def tree_root(identities):
    level = [leaf(bytes.fromhex(x)) for x in identities]
    if not level:
        return hashlib.sha256(b"").digest()
    while len(level) > 1:
        level = [node(level[j], level[j + 1]) if j + 1 < len(level) else level[j] for j in range(0, len(level), 2)]
    return level[0]


vector = json.load(open(sys.argv[1]))
root = bytes.fromhex(vector["root"])
assert sorted(vector["identities"]) == vector["identities"]
assert tree_root(vector["identities"]) == root, "the root is not the tree of the identities"
checked = 0
for case, member in (("member", True), ("absent", False)):
    entry = vector[case]
    identity = row_identity(vector["schema"], entry["json"])
    assert identity == entry["identity"], (case, identity, entry["identity"])
    assert (identity in vector["identities"]) == member
    assert entry["proof"]["member"] == member
    assert verify(identity, entry["proof"], root, vector["size"]), case
    # Any flipped bit of any path hash breaks it.
    for part in [k for k in ("leaf", "below", "above") if k in entry["proof"]]:
        for j, h in enumerate(entry["proof"][part]["path"]):
            bad = json.loads(json.dumps(entry["proof"]))
            bad[part]["path"][j] = format(int(h[0], 16) ^ 1, "x") + h[1:]
            assert not verify(identity, bad, root, vector["size"]), (case, part, j)
    checked += 1
print(f"checked {checked} proofs")
