import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { ValidationError } from '../errors.js';
import { ingestColumns } from '../ingest/index.js';
import { keyIdentities, rowIdentities } from './row-identity.js';
import type { StickyParent } from './sticky.js';
import type { StickyField } from './sticky-types.js';

/** Where a sticky key column was looked for: the dataset being frozen, or the parent's splits. */
export type StickySide = 'dataset' | 'parent';

/** Each parent split's rows as identities (rows × 32 bytes), in the split file's row order. */
export type ParentIdentities = Readonly<Record<SplitName, Uint8Array>>;

/** STICKY.UNKNOWN_COLUMN (400): `stickyBy` names a column one side lacks. */
export function stickyUnknownColumn(column: string, side: StickySide, known: readonly string[]) {
  const where = side === 'dataset' ? 'the dataset being frozen' : 'the sticky parent';
  return new ValidationError(
    'STICKY.UNKNOWN_COLUMN',
    `stickyBy names column "${column}", which ${where} lacks (columns: ${known.map((c) => JSON.stringify(c)).join(', ')})`,
    { details: { column, side } },
  );
}

/**
 * The sticky identity of every row (docs/SPLIT-SPEC.md §8.5): the §8.1 key identity of column
 * `by`, or the whole-row identity when `by` is absent.
 */
export function stickyIdentities(
  columns: readonly FlatColumn[],
  rows: number,
  by: string | undefined,
  side: StickySide,
): Uint8Array {
  if (by === undefined) return rowIdentities(columns, rows);
  const column = columns.find((c) => c.name === by);
  if (!column) {
    throw stickyUnknownColumn(
      by,
      side,
      columns.map((c) => c.name),
    );
  }
  return keyIdentities(column, 'a sticky key');
}

/**
 * The parent a freeze sticks to, read back from its three split files (Arrow IPC files, as
 * stored): each split's row identities, and the columns (names and types) that §8.5's type
 * check compares with the dataset's. The caller has already checked each file's bytes against
 * its address: identities of rotted bytes would silently move rows.
 */
export async function stickyParentOf(
  manifestId: string,
  files: Readonly<Record<SplitName, Uint8Array>>,
  by: string | undefined,
): Promise<StickyParent> {
  const out: Partial<Record<SplitName, Uint8Array>> = {};
  let fields: StickyField[] = [];
  for (const name of SPLIT_NAMES) {
    const { columns, rows } = await ingestColumns(files[name], { format: 'arrow' });
    out[name] = stickyIdentities(columns, rows, by, 'parent');
    // The three files share one schema (§4): any one gives the parent's columns.
    fields = columns.map((c) => ({ name: c.name, type: c.type }));
  }
  return { manifestId, by, identities: out as ParentIdentities, fields };
}
