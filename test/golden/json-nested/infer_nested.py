"""An independent reading of docs/SPLIT-SPEC.md section 1.4.2 (nested JSON values), in plain
Python (stdlib only), written from the document: given JSON Lines text, it prints the type and
values of every nested column, for json-nested.test.ts to compare with the engine's ingest.

Output: one JSON object {column: {"type": "...", "values": [...]}}; ints as ["i", "123"],
floats as ["f", "<16 hex digits of the IEEE-754 bits>"].
"""

import json
import re
import struct
import sys

INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
FLOAT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")
TWO53 = 2**53


class Num:
    """A number token kept as its source text."""

    def __init__(self, text):
        self.text = text


class Obj:
    """An object as its members in source order (repeated keys kept, resolved later)."""

    def __init__(self, pairs):
        self.pairs = pairs

    def members(self):
        out = {}
        for k, v in self.pairs:
            out[k] = v  # dict keeps the first position, takes the last value
        return out


class Unrepresentable(Exception):
    pass


def parse(text):
    return json.loads(text, object_pairs_hook=Obj, parse_int=Num, parse_float=Num, parse_constant=Num)


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, Obj):
        return "struct"
    t = v.text
    if INT.match(t) and t != "-0" and abs(int(t)) <= TWO53:
        return "int"
    if FLOAT.match(t):
        if "." not in t and "e" not in t and "E" not in t and abs(int(t)) > TWO53:
            raise Unrepresentable(t)
        if float(t) in (float("inf"), float("-inf")):
            raise Unrepresentable(t)
        return "float"
    raise Unrepresentable(t)


def check_numbers(v):
    kind(v)
    if isinstance(v, list):
        for e in v:
            check_numbers(e)
    elif isinstance(v, Obj):
        for e in v.members().values():
            check_numbers(e)


class Pos:
    def __init__(self):
        self.kind = "none"
        self.element = None
        self.fields = {}


def visit(pos, v):
    k = kind(v)
    if k == "null":
        return
    if pos.kind == "json":
        check_numbers(v)
        return
    if pos.kind == "none":
        pos.kind = k
    elif pos.kind != k:
        if {pos.kind, k} == {"int", "float"}:
            pos.kind = "float"
        else:
            pos.kind = "json"
            pos.element, pos.fields = None, {}
            check_numbers(v)
            return
    if k == "list":
        for e in v:
            if pos.element is None:
                pos.element = Pos()
            visit(pos.element, e)
    elif k == "struct":
        for key, e in v.members().items():
            visit(pos.fields.setdefault(key, Pos()), e)


def type_name(pos):
    k = pos.kind if pos is not None else "none"
    if k == "bool":
        return "Bool"
    if k == "int":
        return "Int64"
    if k == "float":
        return "Float64"
    if k == "list":
        return "List<%s>" % type_name(pos.element)
    if k == "struct":
        return "Struct<{%s}>" % ", ".join("%s:%s" % (n, type_name(f)) for n, f in pos.fields.items())
    return "Utf8"


def es_number(x):
    """ECMAScript Number::toString of a double (RFC 8785 section 3.2.2.3)."""
    if x == 0:
        return "0"
    if x < 0:
        return "-" + es_number(-x)
    r = repr(x)  # shortest round-trip digits, as ECMAScript picks them
    mantissa, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    point = len(whole) + e if whole != "0" else e - (len(frac) - len(frac.lstrip("0")))
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    sign = "+" if n - 1 >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return "%se%s%d" % (head, sign, abs(n - 1))


def well_formed(s):
    return re.sub(r"[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]", "\ufffd", s)


def canonical(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(well_formed(v), ensure_ascii=False)
    if isinstance(v, Num):
        return es_number(float(v.text))
    if isinstance(v, list):
        return "[" + ",".join(canonical(e) for e in v) + "]"
    members = {well_formed(k): e for k, e in v.members().items()}
    keys = sorted(members, key=lambda k: k.encode("utf-16-be"))
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(members[k]) for k in keys) + "}"


def value(pos, v):
    if v is None:
        return None
    k = pos.kind
    if k == "json":
        return canonical(v)
    if k == "bool":
        return v
    if k == "int":
        return ["i", str(int(v.text))]
    if k == "float":
        return ["f", struct.pack(">d", float(v.text)).hex()]
    if k == "list":
        return [value(pos.element, e) for e in v]
    if k == "struct":
        m = v.members()
        return {n: value(f, m.get(n)) for n, f in pos.fields.items()}
    return well_formed(v)


def main(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip(" \t\r\n"):
                rows.append(parse(line).members())
    names = []
    for r in rows:
        for n in r:
            if n not in names:
                names.append(n)
    out = {}
    for n in names:
        cells = [r.get(n) for r in rows]
        if not any(isinstance(c, (list, Obj)) for c in cells):
            continue
        root = Pos()
        try:
            for c in cells:
                visit(root, c)
        except Unrepresentable as e:
            out[n] = {"refused": str(e)}
            break
        out[n] = {"type": type_name(root), "values": [value(root, c) for c in cells]}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
