import type { Schema } from 'apache-arrow';
import type { SplitName } from '../../schemas/common.js';
import type {
  ClassShare,
  FieldInfo,
  Manifest,
  ManifestContent,
  SplitArtifact,
  StickyReport,
} from '../../schemas/manifest.js';
import type { DatasetFormat, SplitSpec } from '../../schemas/spec.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './hash.js';

/** The schema as the manifest records it: Arrow's own type strings. */
export function fieldInfos(schema: Schema): FieldInfo[] {
  return schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable }));
}

/** The spec as it is frozen: defaults filled (zod did that) and the format actually read. */
export function normalizeSpec(spec: SplitSpec, format: DatasetFormat): SplitSpec {
  return { ...spec, format };
}

export interface ManifestParts {
  readonly dataset: ManifestContent['dataset'];
  readonly spec: SplitSpec;
  readonly splits: Readonly<Record<SplitName, SplitArtifact>>;
  /** stratified-group only: each class's share of the dataset and of each split. */
  readonly classShares?: readonly ClassShare[];
  /** Sticky re-freezes only: the parent, the identity and the drift counts (§8.5). */
  readonly sticky?: StickyReport;
}

/**
 * The manifest and its id, the SHA-256 of the RFC 8785 text of the content. achievedRatios
 * are rows / dataset rows, so they record what group and hash splits actually reached.
 */
export function buildManifest(parts: ManifestParts): Manifest {
  const rows = parts.dataset.rows;
  const { train, validation, test } = parts.splits;
  const content: ManifestContent = {
    algorithm: 'split-v1',
    dataset: parts.dataset,
    spec: parts.spec,
    splits: { train, validation, test },
    achievedRatios: { train: train.rows / rows, validation: validation.rows / rows, test: test.rows / rows },
    ...(parts.classShares ? { classShares: [...parts.classShares] } : {}),
    ...(parts.sticky ? { sticky: parts.sticky } : {}),
  };
  return { ...content, id: manifestId(content) };
}

/**
 * The classShares entries of a stratified-group manifest from its per-class split counts:
 * share = rows of the class in the split / rows of the split (0 for an empty split).
 */
export function classSharesOf(
  keys: readonly string[],
  counts: readonly (readonly [number, number, number])[],
  splitRows: readonly [number, number, number],
): ClassShare[] {
  const n = splitRows[0] + splitRows[1] + splitRows[2];
  const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  return keys.map((key, c) => {
    const [train, validation, test] = counts[c]!;
    return {
      key: Buffer.from(key, 'latin1').toString('hex'),
      overall: share(train + validation + test, n),
      train: share(train, splitRows[0]),
      validation: share(validation, splitRows[1]),
      test: share(test, splitRows[2]),
    };
  });
}

/** SHA-256 (hex) of the canonical JSON of a manifest's content; `id` itself is not part of it. */
export function manifestId(content: ManifestContent): string {
  return sha256Hex(canonicalJson(content));
}
