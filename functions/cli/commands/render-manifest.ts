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
