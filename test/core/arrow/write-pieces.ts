import type { Schema, Table } from 'apache-arrow';
import fc from 'fast-check';
import type { FlatColumn } from '../../../functions/core/arrow/flat-column.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { SplitFileWriter, type SplitFileWriterOptions } from '../../../functions/core/arrow/split-writer.js';
import { concatBytes } from '../../../functions/core/concat-bytes.js';

/** One append: some rows, indexing these columns. */
export interface Piece {
  readonly columns: readonly FlatColumn[];
  readonly rows: Uint32Array;
}

/** The split file the writer gives for these appends, concatenated. */
export function writePieces(
  schema: Schema,
  pieces: readonly Piece[],
  options?: SplitFileWriterOptions,
): Uint8Array {
  const writer = new SplitFileWriter(schema, options);
  const chunks = pieces.flatMap((p) => writer.append(p.columns, p.rows));
  return concatBytes([...chunks, ...writer.finish()]);
}

/** What a split is cut into: rows picked from the table, and cut points among them. */
export interface Cutting {
  readonly picks: readonly number[];
  /** Sorted positions in `picks` where one append ends and the next starts (repeats: empty appends). */
  readonly cuts: readonly number[];
  /** Per append: index the whole table (false) or a shard holding just that append's rows (true). */
  readonly shards: readonly boolean[];
}

/** A random selection of rows of an n-row table (in source order or not, repeats allowed) and its cutting. */
export function cutting(n: number): fc.Arbitrary<Cutting> {
  const picks = fc
    .tuple(fc.array(fc.nat(n - 1), { maxLength: 3 * n }), fc.boolean())
    .map(([p, sorted]) => (sorted ? [...new Set(p)].sort((a, b) => a - b) : p));
  return picks.chain((p) =>
    fc.array(fc.nat(p.length), { maxLength: 12 }).chain((cuts) =>
      fc.record({
        picks: fc.constant(p),
        cuts: fc.constant(cuts.sort((a, b) => a - b)),
        shards: fc.array(fc.boolean(), { minLength: cuts.length + 1, maxLength: cuts.length + 1 }),
      }),
    ),
  );
}

/**
 * The appends of a cutting: each either the table's whole columns with global rows, or the
 * columns of the table's slice that spans the append's rows (a shard), with local rows.
 */
export function piecesOf(table: Table, whole: readonly FlatColumn[], c: Cutting): Piece[] {
  const bounds = [0, ...c.cuts, c.picks.length];
  return c.shards.map((shard, i) => {
    const rows = c.picks.slice(bounds[i]!, bounds[i + 1]!);
    if (!shard || rows.length === 0) return { columns: whole, rows: Uint32Array.from(rows) };
    const from = Math.min(...rows);
    const to = Math.max(...rows) + 1;
    return {
      columns: flattenTable(table.slice(from, to)),
      rows: Uint32Array.from(rows, (r) => r - from),
    };
  });
}
