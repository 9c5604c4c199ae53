import { hash } from 'node:crypto';
import { Type } from 'apache-arrow';
import type { FlatColumn } from '../arrow/flat-column.js';
import { intReader, validAt } from '../split/column-values.js';
import { keyReader } from '../split/keys.js';
import { scalarEncoder } from './scalar-encoders.js';
import { MAX_SMALL_MESSAGE, sha256Small } from './sha256-small.js';

/**
 * Row identity (docs/SPLIT-SPEC.md §8.1): the SHA-256 of a canonical encoding of a row's values,
 * the fact the leakage report, sticky re-freezes, test quarantine and membership proofs compare.
 * Scalars encode as their §2.3 key, so a row keeps its identity when a column changes from int64
 * to float64 or decimal(p, 0), exactly as its hash-strategy key does.
 */

/** Bytes of one identity. */
export const IDENTITY_BYTES = 32;

const ROW_PREFIX = Buffer.from('splitvault-row-v1\0', 'latin1');
const KEY_PREFIX = Buffer.from('splitvault-key-v1\0', 'latin1');

/** A growable byte buffer the encoders write into; reused row after row. */
class Scratch {
  buf = Buffer.allocUnsafe(1024);
  at = 0;

  ensure(extra: number): void {
    if (this.at + extra <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + extra));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  latin1(s: string): void {
    this.ensure(s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  /** Reserves a 4-byte big-endian length, to be filled by `close`. */
  open(): number {
    this.ensure(4);
    this.at += 4;
    return this.at;
  }

  close(start: number): void {
    this.buf.writeUInt32BE(this.at - start, start - 4);
  }

  u32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(n, this.at);
    this.at += 4;
  }
}

type Encoder = (i: number, out: Scratch) => void;

const INTERVAL_UNITS = ['year-month', 'day-time', 'month-day-nano'] as const;

/** An interval as `v` + its unit + `:` + its stored components in decimal, comma-separated. */
function intervalEncoder(col: FlatColumn & { kind: 'fixed' }): Encoder {
  const unit = INTERVAL_UNITS[(col.type as unknown as { unit: number }).unit]!;
  const view = new DataView(col.bytes.buffer, col.bytes.byteOffset, col.bytes.byteLength);
  const width = col.width;
  return (i, out) => {
    const at = i * width;
    const parts =
      unit === 'year-month'
        ? [view.getInt32(at, true)]
        : unit === 'day-time'
          ? [view.getInt32(at, true), view.getInt32(at + 4, true)]
          : [view.getInt32(at, true), view.getInt32(at + 4, true), view.getBigInt64(at + 8, true)];
    out.latin1(`v${unit}:${parts.join(',')}`);
  };
}

/** Each element framed by its 4-byte length, after a tag and the element count. */
function framed(tag: number, out: Scratch, count: number, each: (k: number) => void): void {
  out.ensure(5);
  out.buf[out.at++] = tag;
  out.u32(count);
  for (let k = 0; k < count; k++) {
    const start = out.open();
    each(k);
    out.close(start);
  }
}

const TAG_LIST = 0x6c; // 'l'
const TAG_STRUCT = 0x72; // 'r'
const TAG_NULL = 0x6e; // 'n'

function valueEncoder(col: FlatColumn): Encoder {
  switch (col.kind) {
    case 'null':
      return (_i, out) => out.latin1('n');
    case 'list': {
      const child = encoder(col.child);
      const { offsets } = col;
      return (i, out) => {
        const first = Number(offsets[i]);
        framed(TAG_LIST, out, Number(offsets[i + 1]) - first, (k) => child(first + k, out));
      };
    }
    case 'fixed-list': {
      const child = encoder(col.child);
      const { size } = col;
      return (i, out) => framed(TAG_LIST, out, size, (k) => child(i * size + k, out));
    }
    case 'dictionary': {
      // By value, as §6.5 keys it: the entry of U the index names, `n` for a null row or entry.
      const entry = encoder(col.values);
      const index = intReader(col.indices)!;
      const valid = validAt(col);
      const { entries } = col;
      return (i, out) => {
        if (valid(i)) entry(entries[Number(index(i))]!, out);
        else {
          out.ensure(1);
          out.buf[out.at++] = TAG_NULL;
        }
      };
    }
    case 'struct': {
      const children = col.children.map(encoder);
      return (i, out) => framed(TAG_STRUCT, out, children.length, (k) => children[k]!(i, out));
    }
    case 'fixed':
      if (col.type.typeId === Type.Interval) return intervalEncoder(col);
      break;
    case 'binary': {
      // The §2.3 key of a text or binary value is its tag and its bytes: copied, not stringified.
      const tag = col.type.typeId === Type.Utf8 || col.type.typeId === Type.LargeUtf8 ? 0x73 : 0x78;
      const { starts, ends, data } = col;
      const source = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      return (i, out) => {
        const a = starts[i]!;
        const b = ends[i]!;
        out.ensure(1 + b - a);
        out.buf[out.at++] = tag;
        // A short value is copied faster byte by byte than through a native call.
        if (b - a <= 48) {
          const buf = out.buf;
          let at = out.at;
          for (let k = a; k < b; k++) buf[at++] = source[k]!;
        } else source.copy(out.buf, out.at, a, b);
        out.at += b - a;
      };
    }
    default:
      break;
  }
  const fast = scalarEncoder(col);
  if (fast) return fast;
  const key = keyReader(col, 'a row identity');
  return (i, out) => out.latin1(key(i));
}

/** A column's value encoder, `n` under a null at any depth (dictionary keys handle their own). */
function encoder(col: FlatColumn): Encoder {
  const value = valueEncoder(col);
  if (!col.validity || col.kind === 'dictionary' || col.kind === 'null') return value;
  const valid = validAt(col);
  return (i, out) => {
    if (valid(i)) value(i, out);
    else {
      out.ensure(1);
      out.buf[out.at++] = TAG_NULL;
    }
  };
}

/**
 * The identity of every row: `rows` × 32 bytes, row i at [32 i, 32 i + 32). The encoding is
 * §8.1's: the prefix, then per column in schema order its name and its value, each framed by a
 * 4-byte big-endian length.
 */
export function rowIdentities(columns: readonly FlatColumn[], rows: number): Uint8Array {
  // Each column's u32(len(name)) name, ready to copy.
  const heads = columns.map((c) => {
    const name = Buffer.from(c.name, 'utf8');
    const head = Buffer.alloc(4 + name.length);
    head.writeUInt32BE(name.length, 0);
    name.copy(head, 4);
    return head;
  });
  const encoders = columns.map(encoder);
  const out = new Uint8Array(rows * IDENTITY_BYTES);
  const scratch = new Scratch();
  for (let i = 0; i < rows; i++) {
    scratch.at = 0;
    scratch.bytes(ROW_PREFIX);
    for (let c = 0; c < encoders.length; c++) {
      scratch.bytes(heads[c]!);
      const start = scratch.open();
      encoders[c]!(i, scratch);
      scratch.close(start);
    }
    // A short row hashes faster in JavaScript than through node's per-call cost; same bytes.
    if (scratch.at <= MAX_SMALL_MESSAGE) sha256Small(scratch.buf, 0, scratch.at, out, i * IDENTITY_BYTES);
    else out.set(hash('sha256', scratch.buf.subarray(0, scratch.at), 'buffer'), i * IDENTITY_BYTES);
  }
  return out;
}

/** Identity of each row by one key column (§8.1): SHA-256 of the prefix and the row's §2.3 key. */
export function keyIdentities(column: FlatColumn, role: string): Uint8Array {
  const key = keyReader(column, role);
  const out = new Uint8Array(column.length * IDENTITY_BYTES);
  const scratch = new Scratch();
  for (let i = 0; i < column.length; i++) {
    scratch.at = 0;
    scratch.bytes(KEY_PREFIX);
    scratch.latin1(key(i));
    out.set(hash('sha256', scratch.buf.subarray(0, scratch.at), 'buffer'), i * IDENTITY_BYTES);
  }
  return out;
}
