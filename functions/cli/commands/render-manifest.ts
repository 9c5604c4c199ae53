import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { Manifest } from '../../../schemas/manifest.js';
import { renderTable } from '../table.js';

/** The split table every manifest-printing command shows. */
export function renderSplits(manifest: Manifest): string {
  return renderTable(
    ['split', 'rows', 'bytes', 'ratio', 'sha256'],
    SPLIT_NAMES.map((name) => [
      name,
      manifest.splits[name].rows,
      manifest.splits[name].bytes,
      manifest.achievedRatios[name].toFixed(4),
      manifest.splits[name].sha256,
    ]),
  );
}

/**
 * The class shares of a stratified-group manifest, one row per class: its canonical key (the
 * hex decoded as UTF-8, e.g. `spos`, `n` for null), its dataset share and each split's share.
 * Empty for any other strategy.
 */
export function renderClassShares(manifest: Pick<Manifest, 'classShares'>): string {
  if (!manifest.classShares) return '';
  return renderTable(
    ['class', 'overall', ...SPLIT_NAMES],
    manifest.classShares.map((c) => [
      Buffer.from(c.key, 'hex').toString('utf8'),
      c.overall.toFixed(4),
      ...SPLIT_NAMES.map((name) => c[name].toFixed(4)),
    ]),
  );
}

/**
 * The drift report of a sticky re-freeze: the parent and the identity rows were matched by,
 * then per split the rows kept, added and removed, and the achieved ratio against the spec's.
 * Empty for a freeze that was not sticky.
 */
export function renderSticky(manifest: Pick<Manifest, 'sticky' | 'achievedRatios' | 'spec'>): string {
  const { sticky } = manifest;
  if (!sticky) return '';
  const identity = sticky.by === undefined ? 'whole row' : `column ${JSON.stringify(sticky.by)}`;
  const table = renderTable(
    ['split', 'kept', 'added', 'removed', 'ratio', 'spec', 'drift'],
    SPLIT_NAMES.map((name) => {
      const drift = manifest.achievedRatios[name] - manifest.spec.ratios[name];
      return [
        name,
        sticky.kept[name],
        sticky.added[name],
        sticky.removed[name],
        manifest.achievedRatios[name].toFixed(4),
        manifest.spec.ratios[name].toFixed(4),
        `${drift >= 0 ? '+' : ''}${drift.toFixed(4)}`,
      ];
    }),
  );
  return `sticky to ${sticky.parent} by ${identity}\n${table}`;
}
