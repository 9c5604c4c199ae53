"""Writes a split file from docs/SPLIT-SPEC.md §3 alone (no Arrow writer): the check that the
document, not apache-arrow's encoder, defines the bytes.

Usage: write_split_file.py run.json, where run.json lists {source, rows, file}: the source Arrow
file (read with pyarrow for its schema and buffers only), the source row numbers of one split in
split order, and the engine's file to compare with. Prints "wrote N files" when all are equal.
"""

import json
import struct
import sys

import pyarrow as pa


class Builder:
    """The FlatBuffers builder of SPLIT-SPEC.md §3.3; `data` holds the bytes written so far."""

    def __init__(self):
        self.data = bytearray()
        self.minalign = 1
        self.vtables = []  # (position, bytes)

    @property
    def off(self):
        return len(self.data)

    def put(self, raw):
        self.data[0:0] = raw

    def prep(self, size, extra):
        self.minalign = max(self.minalign, size)
        self.put(bytes((-(self.off + extra)) % size))

    def scalar(self, fmt, value):
        raw = struct.pack("<" + fmt, value)
        self.prep(len(raw), 0)
        self.put(raw)

    def offset(self, target):
        self.prep(4, 0)
        self.put(struct.pack("<I", self.off + 4 - target))

    def start_object(self, slots):
        self.slots = [0] * slots
        self.start = self.off

    def field(self, slot, fmt, value, default):
        if value != default:
            self.scalar(fmt, value)
            self.slots[slot] = self.off

    def field_offset(self, slot, target):
        self.offset(target)
        self.slots[slot] = self.off

    def end_object(self):
        self.scalar("i", 0)
        t = self.off
        kept = len(self.slots)
        while kept and self.slots[kept - 1] == 0:
            kept -= 1
        for s in reversed(self.slots[:kept]):
            self.scalar("h", t - s if s else 0)
        self.scalar("h", t - self.start)
        self.scalar("h", 2 * (kept + 2))
        size = 2 * (kept + 2)
        mine = bytes(self.data[:size])
        for position, other in self.vtables:
            if other == mine:
                del self.data[:size]
                self.data[0:4] = struct.pack("<i", position - t)
                return t
        self.vtables.append((self.off, mine))
        self.data[size : size + 4] = struct.pack("<i", self.off - t)
        return t

    def start_vector(self, elem, n, align):
        self.prep(4, elem * n)
        self.prep(align, elem * n)

    def end_vector(self, n):
        self.put(struct.pack("<I", n))
        return self.off

    def offsets_vector(self, targets):
        self.start_vector(4, len(targets), 4)
        for t in reversed(targets):
            self.offset(t)
        return self.end_vector(len(targets))

    def string(self, s):
        raw = s.encode() if isinstance(s, str) else s
        self.prep(1, 0)
        self.put(b"\0")
        self.start_vector(1, len(raw), 1)
        self.put(raw)
        return self.end_vector(len(raw))

    def finish(self, root):
        self.prep(self.minalign, 4)
        self.offset(root)
        return bytes(self.data)


UNIT = {"s": 0, "ms": 1, "us": 2, "ns": 3}


def type_table(b, t):
    """(union id, table position) of a type, per the type-table list of §3.3."""
    if pa.types.is_timestamp(t):
        tz = b.string(t.tz) if t.tz else None
        b.start_object(2)
        b.field(0, "h", UNIT[t.unit], 0)
        if tz is not None:
            b.field_offset(1, tz)
        return 10, b.end_object()
    b.start_object(3)
    if pa.types.is_integer(t):
        b.field(0, "i", t.bit_width, 0)
        b.field(1, "B", int(pa.types.is_signed_integer(t)), 0)
        uid = 2
    elif pa.types.is_floating(t):
        b.field(0, "h", {16: 0, 32: 1, 64: 2}[t.bit_width], 0)
        uid = 3
    elif pa.types.is_decimal(t):
        b.field(1, "i", t.scale, 0)
        b.field(0, "i", t.precision, 0)
        b.field(2, "i", t.bit_width, 128)
        uid = 7
    elif pa.types.is_date(t):
        b.field(0, "h", 0 if t == pa.date32() else 1, 1)
        uid = 8
    elif pa.types.is_time(t):
        b.field(0, "h", UNIT[t.unit], 1)
        b.field(1, "i", t.bit_width, 32)
        uid = 9
    elif pa.types.is_duration(t):
        b.field(0, "h", UNIT[t.unit], 1)
        uid = 18
    elif pa.types.is_interval(t):
        b.field(0, "h", 2, 0)  # month_day_nano: the only interval pyarrow writes
        uid = 11
    elif pa.types.is_fixed_size_binary(t):
        b.field(0, "i", t.byte_width, 0)
        uid = 15
    else:
        uid = {pa.binary(): 4, pa.utf8(): 5, pa.bool_(): 6, pa.large_binary(): 19, pa.large_utf8(): 20}[t]
    return uid, b.end_object()


def key_values(b, metadata):
    pairs = []
    for k, v in (metadata or {}).items():
        key, value = b.string(k), b.string(v)
        b.start_object(2)
        b.field_offset(0, key)
        b.field_offset(1, value)
        pairs.append(b.end_object())
    return b.offsets_vector(pairs) if pairs else None


def field_table(b, f):
    uid, typ = type_table(b, f.type)
    b.start_vector(4, 0, 4)
    children = b.end_vector(0)
    meta = key_values(b, f.metadata)
    name = b.string(f.name) if f.name else None
    b.start_object(7)
    b.field_offset(3, typ)
    b.field(2, "B", uid, 0)
    b.field_offset(5, children)
    b.field(1, "B", int(f.nullable), 0)
    if name is not None:
        b.field_offset(0, name)
    if meta is not None:
        b.field_offset(6, meta)
    return b.end_object()


def footer(schema, blocks):
    b = Builder()
    fields = b.offsets_vector([field_table(b, f) for f in schema])
    meta = key_values(b, schema.metadata)
    b.start_object(4)
    b.field_offset(1, fields)
    if meta is not None:
        b.field_offset(2, meta)
    sch = b.end_object()
    b.start_vector(24, len(blocks), 8)
    for offset, meta_length, body in reversed(blocks):
        b.prep(8, 24)
        b.put(struct.pack("<q", body))
        b.put(bytes(4))
        b.put(struct.pack("<i", meta_length))
        b.put(struct.pack("<q", offset))
    batches = b.end_vector(len(blocks))
    b.start_vector(24, 0, 8)
    dictionaries = b.end_vector(0)
    b.start_object(5)
    b.field_offset(1, sch)
    b.field(0, "h", 4, 0)
    b.field_offset(3, batches)
    b.field_offset(2, dictionaries)
    return b.finish(b.end_object())


def pair_vector(b, pairs):
    """A vector of 16-byte structs of two int64s in field order: FieldNode (length, null_count)
    or Buffer (offset, length). Built back to front, so the second of each pair goes first."""
    b.start_vector(16, len(pairs), 8)
    for first, second in reversed(pairs):
        b.prep(8, 16)
        b.put(struct.pack("<q", second))
        b.put(struct.pack("<q", first))
    return b.end_vector(len(pairs))


def message(length, nodes, buffers, body_length):
    b = Builder()
    node_vec = pair_vector(b, nodes)
    buffer_vec = pair_vector(b, buffers)
    b.start_object(5)
    b.field(0, "q", length, 0)
    b.field_offset(1, node_vec)
    b.field_offset(2, buffer_vec)
    rb = b.end_object()
    b.start_object(5)
    b.field(0, "h", 4, 0)
    b.field_offset(2, rb)
    b.field(1, "B", 3, 0)
    b.field(3, "q", body_length, 0)
    return b.finish(b.end_object())


def bits(flags):
    out = bytearray((len(flags) + 7) // 8)
    for i, f in enumerate(flags):
        if f:
            out[i >> 3] |= 1 << (i & 7)
    return bytes(out)


def column_buffers(col, rows):
    """(null count, buffers) of one column for these source rows, per §3.1 and §3.2."""
    arr = col.combine_chunks()
    t = arr.type
    valid = [arr[r].is_valid for r in rows]
    nulls = valid.count(False)
    out = [bits(valid) if nulls else b""]
    raw = arr.buffers()
    if pa.types.is_boolean(t):
        src = raw[1]
        flags = [(src[(arr.offset + r) >> 3] >> ((arr.offset + r) & 7)) & 1 for r in rows]
        out.append(bits(flags) if nulls < len(rows) else bytes((len(rows) + 7) // 8))
    elif pa.types.is_binary(t) or pa.types.is_string(t) or pa.types.is_large_binary(t) or pa.types.is_large_string(t):
        wide = pa.types.is_large_binary(t) or pa.types.is_large_string(t)
        fmt = "<q" if wide else "<i"
        width = 8 if wide else 4
        starts = [struct.unpack_from(fmt, raw[1], (arr.offset + i) * width)[0] for i in range(len(arr) + 1)]
        data, offsets = bytearray(), [0]
        for r in rows:
            data += raw[2].to_pybytes()[starts[r] : starts[r + 1]]
            offsets.append(len(data))
        out += [b"".join(struct.pack(fmt, o) for o in offsets), bytes(data)]
    else:
        width = t.byte_width if not pa.types.is_interval(t) else 16
        src = raw[1].to_pybytes()
        out.append(b"".join(src[(arr.offset + r) * width : (arr.offset + r + 1) * width] for r in rows))
    return nulls, out


def ceil8(n):
    return (n + 7) // 8 * 8


def write(source, rows):
    out = bytearray(b"ARROW1\0\0")
    blocks = []
    for start in range(0, len(rows), 65536):
        part = rows[start : start + 65536]
        nodes, regions, body = [], [], bytearray()
        for col in source.columns:
            nulls, buffers = column_buffers(col, part)
            nodes.append((len(part), nulls))
            for buf in buffers:
                regions.append((len(body), ceil8(len(buf))))
                body += buf + bytes(ceil8(len(buf)) - len(buf))
        meta = message(len(part), nodes, regions, len(body))
        m = ceil8(8 + len(meta))
        blocks.append((len(out), m, len(body)))
        out += b"\xff\xff\xff\xff" + struct.pack("<i", m - 8) + meta + bytes(m - 8 - len(meta)) + body
    foot = footer(source.schema, blocks)
    out += b"\xff\xff\xff\xff\0\0\0\0" + foot + struct.pack("<i", len(foot)) + b"ARROW1"
    return bytes(out)


def main():
    cases = json.load(open(sys.argv[1]))
    for case in cases:
        source = pa.ipc.open_file(case["source"]).read_all()
        got = write(source, case["rows"])
        want = open(case["file"], "rb").read()
        assert got == want, f"{case['file']}: the document's bytes differ from the engine's"
    print(f"wrote {len(cases)} files")


if __name__ == "__main__":
    main()
