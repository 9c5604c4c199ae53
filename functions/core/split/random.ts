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
  const perm = fisherYates(iota(n), streamFor(seed, 'random'));
  const [train, validation] = splitCounts(n, ratios);
  const splitOf = new Uint8Array(n);
  for (let p = 0; p < n; p++) splitOf[perm[p]!] = p < train ? 0 : p < train + validation ? 1 : 2;
  return splitOf;
}
