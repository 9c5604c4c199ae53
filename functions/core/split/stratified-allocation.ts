import { splitCounts } from './counts.js';
import type { Ratios } from './types.js';

/** Nonempty subsets of the three splits, as bit masks 1..7 (bit k = split k). */
const SUBSETS = [1, 2, 3, 4, 5, 6, 7] as const;

interface ClassShare {
  /** floor(m * T_k / n) per split. */
  readonly floor: [number, number, number];
  /** (m * T_k) mod n per split: the remainder that ranks the round-ups. */
  readonly rem: [bigint, bigint, bigint];
  /** How many of the three splits round up: m minus the floors (0, 1 or 2). */
  readonly up: number;
  /** Splits with a nonzero remainder, the only ones allowed to round up. */
  readonly mask: number;
}

function share(m: number, totals: readonly number[], n: number): ClassShare {
  // Exact integer arithmetic: m * T_k can pass 2^53 for large n, so bigint it is.
  const bn = BigInt(n);
  const prod = totals.map((t) => BigInt(m) * BigInt(t));
  const floor = prod.map((p) => Number(p / bn)) as [number, number, number];
  const rem = prod.map((p) => p % bn) as [bigint, bigint, bigint];
  const mask = rem.reduce((acc, r, k) => (r > 0n ? acc | (1 << k) : acc), 0);
  return { floor, rem, up: m - floor[0] - floor[1] - floor[2], mask };
}

const popcount = (x: number): number => (x & 1) + ((x >> 1) & 1) + ((x >> 2) & 1);

/** Round-up choices of a class in preference order: by remainder descending, then split order. */
function choices(s: ClassShare): number[] {
  const ranked = [0, 1, 2]
    .filter((k) => s.mask & (1 << k))
    .sort((a, b) => (s.rem[b]! > s.rem[a]! ? 1 : s.rem[b]! < s.rem[a]! ? -1 : a - b));
  if (s.up === 0) return [0];
  if (s.up === 1) return ranked.map((k) => 1 << k);
  const [a, b, c] = ranked as [number, number, number];
  return [(1 << a) | (1 << b), (1 << a) | (1 << c), (1 << b) | (1 << c)];
}

/**
 * Per-class split counts for stratified: each class of size m gets floor or ceil of
 * m * T_k / n in split k, every class's counts sum to m, and the split totals are exactly the
 * random strategy's T_k. Classes are settled in order, each taking the first preferred choice
 * that leaves the rest solvable (a max-flow cut condition over the 7 subsets of splits).
 */
export function allocateClasses(sizes: readonly number[], ratios: Ratios): [number, number, number][] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const totals = splitCounts(n, ratios);
  const shares = sizes.map((m) => share(m, totals, n));
  const need = [0, 1, 2].map((k) => totals[k]! - shares.reduce((acc, s) => acc + s.floor[k]!, 0));
  // capacity[Y]: most round-ups the classes not yet settled can put into the splits of Y.
  const capacity = new Array<number>(8).fill(0);
  const give = (s: ClassShare, y: number): number => Math.min(s.up, popcount(s.mask & y));
  for (const s of shares) for (const y of SUBSETS) capacity[y]! += give(s, y);
  return shares.map((s, c) => {
    for (const y of SUBSETS) capacity[y]! -= give(s, y);
    const pick = choices(s).find((ch) => {
      const left = need.map((d, k) => d - ((ch >> k) & 1));
      if (left.some((d) => d < 0)) return false;
      return SUBSETS.every(
        (y) => capacity[y]! >= [0, 1, 2].reduce((a, k) => a + ((y >> k) & 1) * left[k]!, 0),
      );
    });
    if (pick === undefined) throw new Error(`stratified allocation found no feasible choice for class ${c}`);
    for (let k = 0; k < 3; k++) need[k]! -= (pick >> k) & 1;
    return [0, 1, 2].map((k) => s.floor[k]! + ((pick >> k) & 1)) as [number, number, number];
  });
}
