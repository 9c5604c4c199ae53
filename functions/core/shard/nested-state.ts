/**
 * Nested JSON Lines columns read in shards (docs/SPLIT-SPEC.md §9.6): each shard infers the
 * type of its own rows (§1.4.2), kept as a plain shape (kinds and field order, no counts);
 * the shapes joined in shard order are the type one process infers over the whole column, and
 * each shard then builds its rows under that type.
 */
import type { DataType } from 'apache-arrow';
import { type FlatColumn, flattenColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import type { ColumnCells } from '../ingest/cells.js';
import { tooManyNestedCells } from '../ingest/limits.js';
import { buildNested, nestedArrowType } from '../ingest/nested-build.js';
import { type CellBudget, inferNested, type NestedKind, type TypeNode } from '../ingest/nested-infer.js';

/** A position's type as plain data: its kind, a list's element, a struct's fields in order. */
export interface NestedShape {
  readonly kind: NestedKind;
  readonly element?: NestedShape;
  readonly fields?: readonly (readonly [string, NestedShape])[];
}

/** A refusal a shard records instead of raising: it counts only if the column proves nested. */
export interface NestedFault {
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/**
 * One shard's nested inference of one JSON Lines column: its shape over the shard's rows, or
 * the first refusal inference met in them (row order). Its size is the shape's positions,
 * never the rows.
 */
export type NestedScan = { readonly shape: NestedShape } | { readonly fault: NestedFault };

const NONE: NestedShape = { kind: 'null' };
const JSON_SHAPE: NestedShape = { kind: 'json' };

/** A shard that never names the column: every row null. */
export const NESTED_NONE: NestedScan = { shape: NONE };

function shapeOf(node: TypeNode | undefined): NestedShape | undefined {
  if (!node) return undefined;
  if (node.kind === 'list') {
    const element = shapeOf(node.element);
    return element ? { kind: 'list', element } : { kind: 'list' };
  }
  if (node.kind === 'struct') {
    return { kind: 'struct', fields: [...(node.fields ?? [])].map(([k, v]) => [k, shapeOf(v)!] as const) };
  }
  return { kind: node.kind };
}

/** A TypeNode of this shape with every count 0, for inference to continue from. */
function nodeOf(shape: NestedShape): TypeNode {
  const node: TypeNode = { kind: shape.kind, elements: 0, inner: 0 };
  if (shape.element) node.element = nodeOf(shape.element);
  if (shape.kind === 'struct') node.fields = new Map(shape.fields?.map(([k, v]) => [k, nodeOf(v)]));
  return node;
}

/**
 * Scans a shard's cells of an undeclared JSON Lines column as if it were nested (whether it is
 * depends on every shard). `line` gives a row's line in the dataset, for the refusal.
 */
export function scanNested(column: ColumnCells, line: (row: number) => number): NestedScan {
  const view = nestedView(column, line);
  try {
    // No budget here: the walk keeps only the shape, which the shard's own bytes bound.
    return { shape: shapeOf(inferNested(view, { used: 0, limit: Number.POSITIVE_INFINITY }))! };
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return { fault: { code: error.code, message: error.message, details: { ...error.details } } };
  }
}

/** §1.4.2's join of two positions' types, the later one's new struct fields after the earlier's. */
export function joinShapes(a: NestedShape, b: NestedShape): NestedShape {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'json' || b.kind === 'json') return JSON_SHAPE;
  if (a.kind !== b.kind) {
    const numbers = (k: NestedKind) => k === 'int' || k === 'float';
    return numbers(a.kind) && numbers(b.kind) ? { kind: 'float' } : JSON_SHAPE;
  }
  if (a.kind === 'list') {
    const element = a.element && b.element ? joinShapes(a.element, b.element) : (a.element ?? b.element);
    return element ? { kind: 'list', element } : a;
  }
  if (a.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [k, v] of b.fields ?? []) {
      const mine = fields.get(k);
      fields.set(k, mine ? joinShapes(mine, v) : v);
    }
    return { kind: 'struct', fields: [...fields] };
  }
  return a;
}

/** Positions in a shape: what its memory grows with. */
export function shapePositions(shape: NestedShape): number {
  let n = 1;
  if (shape.element) n += shapePositions(shape.element);
  for (const [, v] of shape.fields ?? []) n += shapePositions(v);
  return n;
}

/**
 * The column's type from every shard's scan, in shard order: the first shard's refusal if any
 * (the row one process meets first), else the shapes joined. Past `maxCells` positions it is
 * refused as one process would (each position costs it at least one cell).
 */
export function mergeNested(name: string, scans: readonly NestedScan[], maxCells: number): NestedShape {
  let shape = NONE;
  for (const scan of scans) {
    if ('fault' in scan) {
      const { code, message, details } = scan.fault;
      throw new DatasetError(code, message, { details });
    }
    shape = joinShapes(shape, scan.shape);
    const positions = shapePositions(shape);
    if (positions > maxCells) throw tooManyNestedCells(name, positions, maxCells);
  }
  return shape;
}

/** The Arrow type of a nested column of this shape. */
export function shapeArrowType(shape: NestedShape): DataType {
  return nestedArrowType(nodeOf(shape));
}

/** A column's cells as nested inference reads them, lines from the dataset. */
function nestedView(column: ColumnCells, line: (row: number) => number): ColumnCells {
  return { ...column, nested: { line, codes: 'JSONL' } };
}

/**
 * A shard's nested column under the dataset's shape, in two steps as whole-file ingest takes
 * them: inference continued from the shape over the shard's rows gives the shape back with
 * this shard's counts, charging its child slots to the shard's `budget`; then `build` makes it.
 */
export function shardNested(
  column: ColumnCells,
  shape: NestedShape,
  line: (row: number) => number,
  budget: CellBudget,
): { build: () => FlatColumn } {
  const view = nestedView(column, line);
  const type = inferNested(view, budget, nodeOf(shape));
  return {
    build: () => {
      const data = buildNested(view, type);
      return flattenColumn(column.name, data.type, [data], column.rows);
    },
  };
}
