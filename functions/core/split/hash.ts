import { hash } from 'node:crypto';
import type { FlatColumn } from '../arrow/flat-column.js';
import { keyReader } from './keys.js';
import type { Ratios, SplitOfRow } from './types.js';

const TWO_32 = 4294967296;
const TWO_64 = TWO_32 * TWO_32;
const MEMO_LIMIT = 65_536;

/**
 * The point in [0, 1] of a key: the first 8 bytes of SHA-256(seed + ":" + key bytes) read as a
 * big-endian unsigned integer, divided by 2^64 (one rounding, as in Python's int / int).
 * Returns a function of the key so the seed prefix is encoded once, not once per row.
 */
export function hashPointer(seed: number): (key: string) => number {
  const prefix = Buffer.from(`${seed}:`, 'utf8');
  let buf = Buffer.alloc(256);
  prefix.copy(buf);
  return (key) => {
    if (prefix.length + key.length > buf.length) {
      buf = Buffer.alloc(2 * (prefix.length + key.length));
      prefix.copy(buf);
    }
    const end = prefix.length + buf.write(key, prefix.length, 'latin1');
    const digest = hash('sha256', buf.subarray(0, end), 'buffer');
    return (digest.readUInt32BE(0) * TWO_32 + digest.readUInt32BE(4)) / TWO_64;
  };
}

/** hashPointer for a single key. */
export function hashPoint(seed: number, key: string): number {
  return hashPointer(seed)(key);
}

/** Split of a point: the first positive-ratio split whose cumulative ratio exceeds it, else the last. */
export function splitOfPoint(u: number, ratios: Ratios): number {
  const r = [ratios.train, ratios.validation, ratios.test];
  const last = r[2]! > 0 ? 2 : r[1]! > 0 ? 1 : 0;
  let cum = 0;
  for (let k = 0; k < 3; k++) {
    cum += r[k]!;
    if (r[k]! > 0 && (k === last || u < cum)) return k;
  }
  return last;
}

/** hash: a row's split depends only on its key and the seed, so other rows never move it. */
export function assignHash(col: FlatColumn, ratios: Ratios, seed: number): SplitOfRow {
  const key = keyReader(col, 'a hash key');
  const point = hashPointer(seed);
  const memo = new Map<string, number>();
  const splitOf = new Uint8Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const k = key(i);
    let s = memo.get(k);
    if (s === undefined) {
      s = splitOfPoint(point(k), ratios);
      // Repeated keys (groupBy) skip the hash; a capped memo keeps unique ids from paying for a huge map.
      if (memo.size < MEMO_LIMIT) memo.set(k, s);
    }
    splitOf[i] = s;
  }
  return splitOf;
}
