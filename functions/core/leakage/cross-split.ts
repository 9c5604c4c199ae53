import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import { MAX_LEAKAGE_EXAMPLES, type PairLeakage } from '../../../schemas/leakage.js';
import type { SplitIndices } from '../split/types.js';
import { rowsByIdentity } from './identity-order.js';
import { IDENTITY_BYTES } from './row-identity.js';

/** The pairs of splits a report compares, in report order (docs/SPLIT-SPEC.md §8.4). */
export const SPLIT_PAIRS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
];

/** What one pass over the rows in identity order finds. */
export interface CrossSplitFacts {
  /** Each split's identity set: sorted distinct identities, `distinct` × 32 bytes. */
  readonly sets: Readonly<Record<SplitName, Uint8Array>>;
  readonly rows: Readonly<Record<SplitName, number>>;
  readonly pairs: readonly PairLeakage[];
}

/** Keeps the examples with the smallest first row, without holding every candidate. */
class Examples {
  readonly #rows: [number, number, number][] = [];

  add(identityRow: number, a: number, b: number): void {
    this.#rows.push([a, b, identityRow]);
    if (this.#rows.length >= 64 * MAX_LEAKAGE_EXAMPLES) this.#trim();
  }

  list(ids: Uint8Array): PairLeakage['examples'] {
    this.#trim();
    return this.#rows.map(([a, b, r]) => ({
      identity: Buffer.from(ids.subarray(r * IDENTITY_BYTES, (r + 1) * IDENTITY_BYTES)).toString('hex'),
      rows: [a, b],
    }));
  }

  #trim(): void {
    this.#rows.sort((x, y) => x[0] - y[0]);
    this.#rows.length = Math.min(this.#rows.length, MAX_LEAKAGE_EXAMPLES);
  }
}

/**
 * Identity sets and cross-split duplicates from every row's identity (`ids`, rows × 32 bytes)
 * and the assignment. Rows sorted by identity once give each split's set already in order and
 * every run of equal identities at once.
 */
export function crossSplitFacts(ids: Uint8Array, indices: SplitIndices): CrossSplitFacts {
  const counts = SPLIT_NAMES.map((name) => indices[name].length);
  const total = counts[0]! + counts[1]! + counts[2]!;
  const splitOf = new Uint8Array(ids.length / IDENTITY_BYTES).fill(255);
  const members = new Uint32Array(total);
  let m = 0;
  SPLIT_NAMES.forEach((name, s) => {
    for (const row of indices[name]) splitOf[row] = s;
  });
  for (let row = 0; row < splitOf.length; row++) if (splitOf[row] !== 255) members[m++] = row;
  const order = rowsByIdentity(ids, members.subarray(0, m));
  const sets = counts.map((c) => new Uint8Array(c * IDENTITY_BYTES));
  const distinct = [0, 0, 0];
  const shared = [0, 0, 0];
  const pairRows = [
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  const examples = SPLIT_PAIRS.map(() => new Examples());
  const buf = Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength);
  const runCount = [0, 0, 0];
  const runFirst = [0, 0, 0];
  for (let start = 0; start < order.length; ) {
    const head = order[start]!;
    let end = start + 1;
    while (
      end < order.length &&
      buf.compare(buf, head * 32, head * 32 + 32, order[end]! * 32, order[end]! * 32 + 32) === 0
    ) {
      end++;
    }
    runCount.fill(0);
    for (let k = start; k < end; k++) {
      const row = order[k]!;
      const s = splitOf[row]!;
      // Rows of a run ascend, so the first row seen in a split is its smallest.
      if (runCount[s]!++ === 0) runFirst[s] = row;
    }
    for (let s = 0; s < 3; s++) {
      if (runCount[s] === 0) continue;
      sets[s]!.set(
        ids.subarray(head * IDENTITY_BYTES, (head + 1) * IDENTITY_BYTES),
        distinct[s]! * IDENTITY_BYTES,
      );
      distinct[s]!++;
    }
    SPLIT_PAIRS.forEach(([a, b], p) => {
      if (runCount[a] === 0 || runCount[b] === 0) return;
      shared[p]!++;
      pairRows[p]![0]! += runCount[a]!;
      pairRows[p]![1]! += runCount[b]!;
      examples[p]!.add(head, runFirst[a]!, runFirst[b]!);
    });
    start = end;
  }
  const pairs = SPLIT_PAIRS.map(
    ([a, b], p): PairLeakage => ({
      splits: [SPLIT_NAMES[a]!, SPLIT_NAMES[b]!],
      sharedIdentities: shared[p]!,
      rows: [pairRows[p]![0]!, pairRows[p]![1]!],
      examples: examples[p]!.list(ids),
    }),
  );
  const set = (s: number) => sets[s]!.subarray(0, distinct[s]! * IDENTITY_BYTES);
  return {
    sets: { train: set(0), validation: set(1), test: set(2) },
    rows: { train: counts[0]!, validation: counts[1]!, test: counts[2]! },
    pairs,
  };
}
