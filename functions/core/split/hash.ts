import { createHash } from 'node:crypto';
import type { FlatColumn } from '../arrow/flat-column.js';
import { keyReader } from './keys.js';
import type { Ratios, SplitOfRow } from './types.js';

const TWO_32 = 4294967296;
const TWO_64 = TWO_32 * TWO_32;

/**
 * The point in [0, 1] of a key: the first 8 bytes of SHA-256(seed + ":" + key bytes) read as a
 * big-endian unsigned integer, divided by 2^64 (one rounding, as in Python's int / int).
 */
export function hashPoint(seed: number, key: string): number {
  const digest = createHash('sha256').update(`${seed}:`, 'utf8').update(key, 'latin1').digest();
  return (digest.readUInt32BE(0) * TWO_32 + digest.readUInt32BE(4)) / TWO_64;
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
  const memo = new Map<string, number>();
  const splitOf = new Uint8Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const k = key(i);
    let s = memo.get(k);
    if (s === undefined) {
      s = splitOfPoint(hashPoint(seed, k), ratios);
      memo.set(k, s);
    }
    splitOf[i] = s;
  }
  return splitOf;
}
