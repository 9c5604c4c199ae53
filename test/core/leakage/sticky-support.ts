import { sha256Hex } from '../../../functions/core/hash.js';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { stickyParentOf } from '../../../functions/core/leakage/sticky-identities.js';
import { keyReader } from '../../../functions/core/split/keys.js';
import { type SplitOutcome, splitDataset } from '../../../functions/core/split-dataset.js';
import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import { SpecRequest, type SpecRequestInput } from '../../../schemas/spec.js';

/** One row of the test datasets: a unique id, a class, a group and an order value. */
export interface Row {
  readonly id: number;
  readonly label: string;
  readonly g: number;
  readonly t: number;
}

export const toCsv = (rows: readonly Row[]) =>
  new TextEncoder().encode(
    `id,label,g,t\n${rows.map((r) => `${r.id},${r.label},${r.g},${r.t}`).join('\n')}\n`,
  );

/** Freezes CSV bytes with the real engine, sticky to `parent` when given. */
export async function freezeCsv(
  bytes: Uint8Array,
  spec: SpecRequestInput,
  parent?: { outcome: SplitOutcome; by?: string | undefined },
): Promise<SplitOutcome> {
  const sticky =
    parent && (await stickyParentOf(parent.outcome.manifest.id, parent.outcome.artifacts, parent.by));
  return splitDataset(
    bytes,
    { sha256: sha256Hex(bytes), bytes: bytes.byteLength },
    SpecRequest.parse({ ...spec, format: 'csv' }),
    sticky ? { sticky } : {},
  );
}

/** Reads every split file back and maps each row's value of `column` (its §2.3 key) to its split. */
export async function splitByValue(
  artifacts: Readonly<Record<SplitName, Uint8Array>>,
  column = 'id',
): Promise<Map<string, SplitName[]>> {
  const out = new Map<string, SplitName[]>();
  for (const name of SPLIT_NAMES) {
    const { columns, rows } = await ingestColumns(artifacts[name], { format: 'arrow' });
    const key = keyReader(columns.find((c) => c.name === column)!, 'a test key');
    for (let i = 0; i < rows; i++) out.set(key(i), [...(out.get(key(i)) ?? []), name]);
  }
  return out;
}

/** A deterministic pseudo-random source for building datasets (not the engine's PRNG). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `n` rows with ids from `first`, labels a/b/c, groups 0..groups-1 and order values. */
export function makeRows(n: number, first: number, groups: number, rand: () => number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: first + i,
    label: 'abc'[Math.floor(rand() * 3)]!,
    g: Math.floor(rand() * groups),
    t: Math.floor(rand() * 1000),
  }));
}

/**
 * The dataset grown by `grow` and shrunk by `shrink` (fractions of its rows): removed rows
 * are picked at random, new rows (fresh ids, in `newGroups` fresh groups or old ones) are
 * inserted at random places.
 */
export function edit(
  rows: readonly Row[],
  grow: number,
  shrink: number,
  rand: () => number,
  newGroups = 0,
): Row[] {
  const drop = Math.round(rows.length * shrink);
  const kept = rows.slice();
  for (let d = 0; d < drop; d++) kept.splice(Math.floor(rand() * kept.length), 1);
  const maxId = Math.max(...rows.map((r) => r.id));
  const maxGroup = Math.max(...rows.map((r) => r.g));
  const added = makeRows(Math.round(rows.length * grow), maxId + 1, maxGroup + 1 + newGroups, rand);
  for (const row of added) kept.splice(Math.floor(rand() * (kept.length + 1)), 0, row);
  return kept;
}
