import type { LeakageReport } from '../../../schemas/leakage.js';

/**
 * One line for `show`: duplicate rows within each split, identities shared by each pair of
 * splits (with the rows on each side), and key values found in several splits.
 */
export function renderLeakage(report: LeakageReport | undefined): string {
  if (!report) return 'not recorded';
  const { train, validation, test } = report.splits;
  const within = `duplicate rows ${train.duplicateRows}/${validation.duplicateRows}/${test.duplicateRows}`;
  const pairs = report.pairs
    .map(
      (p) =>
        `${p.splits[0]}×${p.splits[1]} ${p.sharedIdentities}${p.sharedIdentities ? ` (${p.rows[0]}+${p.rows[1]} rows)` : ''}`,
    )
    .join(', ');
  const keys = report.keys
    ? `; ${report.keys.column} values in several splits ${report.keys.sharedKeys}`
    : '';
  return `${within}; shared rows ${pairs}${keys}`;
}
