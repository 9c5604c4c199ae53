import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import {
  type KeyLeakage,
  LEAKAGE_REPORT_TYPE,
  type LeakageReport,
  type PairLeakage,
} from '../../../schemas/leakage.js';
import type { Manifest } from '../../../schemas/manifest.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { canonicalJson } from '../canonical-json.js';
import { DatasetError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import type { SplitIndices } from '../split/types.js';
import { crossSplitFacts } from './cross-split.js';
import { keyColumnOf, keyOverlap } from './key-overlap.js';
import { merkleRoot } from './merkle.js';
import { IDENTITY_BYTES, rowIdentities } from './row-identity.js';

/** The problem code of `dedupe: "refuse"` meeting a row in train and in validation or test. */
export const CROSS_SPLIT_DUPLICATES = 'SPEC.CROSS_SPLIT_DUPLICATES';

/** An identity set and its address. */
export interface IdentitySet {
  readonly sha256: string;
  readonly bytes: Uint8Array;
}

/** What the engine learns about leakage before it writes anything; the manifest comes later. */
export interface LeakageFacts {
  readonly sets: Readonly<Record<SplitName, IdentitySet & { readonly merkleRoot: string }>>;
  readonly rows: Readonly<Record<SplitName, number>>;
  readonly pairs: readonly PairLeakage[];
  readonly keys?: KeyLeakage;
}

/** The stored leakage report: its document, RFC 8785 bytes and address, and the identity sets. */
export interface LeakageOutcome {
  readonly report: LeakageReport;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly sets: Readonly<Record<SplitName, IdentitySet>>;
}

/**
 * Identities, identity sets with their Merkle roots, cross-split duplicates and key overlaps
 * of an assigned dataset (docs/SPLIT-SPEC.md §8.4), from the columns already in memory.
 */
export function leakageFacts(
  columns: readonly FlatColumn[],
  rows: number,
  indices: SplitIndices,
  spec: SplitSpec,
): LeakageFacts {
  const ids = rowIdentities(columns, rows);
  const facts = crossSplitFacts(ids, indices);
  const described = (name: SplitName) => {
    const bytes = facts.sets[name];
    const root = merkleRoot(bytes);
    return { bytes, sha256: sha256Hex(bytes), merkleRoot: Buffer.from(root).toString('hex') };
  };
  const keyName = keyColumnOf(spec);
  const keyColumn = keyName === undefined ? undefined : columns.find((c) => c.name === keyName);
  return {
    sets: { train: described('train'), validation: described('validation'), test: described('test') },
    rows: facts.rows,
    pairs: facts.pairs,
    ...(keyColumn ? { keys: keyOverlap(keyColumn, indices) } : {}),
  };
}

/**
 * `dedupe: "refuse"`: a 422 naming every pair and its examples when an identical row sits in
 * train and in validation or test (validation × test alone is allowed).
 */
export function refuseCrossSplitDuplicates(facts: LeakageFacts): void {
  const train = facts.pairs.filter((p) => p.splits[0] === 'train' && p.sharedIdentities > 0);
  if (train.length === 0) return;
  const said = train.map((p) => `${p.sharedIdentities} in ${p.splits.join(' and ')}`).join(', ');
  throw new DatasetError(
    CROSS_SPLIT_DUPLICATES,
    `dedupe "refuse": identical rows would sit in more than one split (${said} distinct rows)`,
    { details: { duplicates: facts.pairs } },
  );
}

/** The report document for the manifest the facts belong to, with its bytes and address. */
export function leakageOutcome(manifest: Manifest, facts: LeakageFacts): LeakageOutcome {
  const split = (name: SplitName) => {
    const set = facts.sets[name];
    const distinct = set.bytes.length / IDENTITY_BYTES;
    return {
      sha256: manifest.splits[name].sha256,
      rows: facts.rows[name],
      distinct,
      duplicateRows: facts.rows[name] - distinct,
      merkleRoot: set.merkleRoot,
      identities: set.sha256,
    };
  };
  const report: LeakageReport = {
    type: LEAKAGE_REPORT_TYPE,
    manifestId: manifest.id,
    splits: { train: split('train'), validation: split('validation'), test: split('test') },
    pairs: [...facts.pairs],
    ...(facts.keys ? { keys: facts.keys } : {}),
  };
  const bytes = new TextEncoder().encode(canonicalJson(report));
  const sets = Object.fromEntries(
    SPLIT_NAMES.map((name) => [name, { sha256: facts.sets[name].sha256, bytes: facts.sets[name].bytes }]),
  ) as Record<SplitName, IdentitySet>;
  return { report, bytes, sha256: sha256Hex(bytes), sets };
}
