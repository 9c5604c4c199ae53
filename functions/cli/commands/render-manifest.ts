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
