import type { SplitName } from '../../../schemas/common.js';
import type { Ratios } from './types.js';

const ORDER: readonly SplitName[] = ['train', 'validation', 'test'];

/**
 * Exact split sizes by the largest-remainder method: each split gets floor(n * ratio), then
 * the rows left over go one at a time to the splits with positive ratio in order of descending
 * fractional part (ties: train, validation, test), cycling if more remain than splits.
 * Splits with ratio 0 never receive a row.
 */
export function splitCounts(n: number, ratios: Ratios): [number, number, number] {
  const ideal = ORDER.map((name) => n * ratios[name]);
  const counts = ideal.map((x) => Math.floor(x)) as [number, number, number];
  let left = n - counts[0] - counts[1] - counts[2];
  const order = [0, 1, 2]
    .filter((k) => ratios[ORDER[k]!] > 0)
    .sort((a, b) => ideal[b]! - counts[b]! - (ideal[a]! - counts[a]!) || a - b);
  // Ratios summing to 1 + 1e-9 can overshoot by a row on huge n; take it back from the
  // smallest remainders (reverse of the priority order).
  for (let i = 0; left < 0; i++, left++) {
    const k = order[order.length - 1 - (i % order.length)]!;
    counts[k] = counts[k]! - 1;
  }
  for (let i = 0; left > 0; i++, left--) {
    const k = order[i % order.length]!;
    counts[k] = counts[k]! + 1;
  }
  return counts;
}
