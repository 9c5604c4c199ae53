import { splitCounts } from './counts.js';
import { fisherYates, streamFor } from './prng.js';
import type { Ratios, SplitOfRow } from './types.js';

/** The identity permutation 0..n-1. */
export function iota(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * random: shuffle 0..n-1 with the "random" stream; the first count(train) positions are train,
 * the next count(validation) validation, the rest test.
 */
export function assignRandom(n: number, ratios: Ratios, seed: number): SplitOfRow {
  return splitByPosition(fisherYates(iota(n), streamFor(seed, 'random')), ratios);
}

/**
 * Rows listed in some order (a permutation of 0 … n−1): the first count(train) positions go to
 * train, the next count(validation) to validation, the rest to test (random and time).
 */
export function splitByPosition(order: Uint32Array, ratios: Ratios): SplitOfRow {
  const n = order.length;
  const [train, validation] = splitCounts(n, ratios);
  const splitOf = new Uint8Array(n);
  for (let p = 0; p < n; p++) splitOf[order[p]!] = p < train ? 0 : p < train + validation ? 1 : 2;
  return splitOf;
}
