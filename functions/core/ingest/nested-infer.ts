import { DatasetError } from '../errors.js';
import { CELL_NULL, CELL_TEXT, type ColumnCells } from './cells.js';
import { forEachElement, objectMembers, valueEnd } from './json-value.js';
import { tooManyNestedCells } from './limits.js';
import { parseDecimal, parseSafeInteger } from './number-grammar.js';

/**
 * The kinds of nested inference (docs/SPLIT-SPEC.md, "Nested values"). `null` means no value
 * seen yet; `json` is the fallback when values of one position disagree in kind: the canonical
 * JSON text of each value, as Utf8.
 */
export type NestedKind = 'null' | 'bool' | 'int' | 'float' | 'string' | 'list' | 'struct' | 'json';

/** The type inferred for one position of a nested column, with the counts building needs. */
export interface TypeNode {
  kind: NestedKind;
  /** list: the element type (undefined while every list seen was empty). */
  element?: TypeNode;
  /** struct: the fields, in order of first appearance. */
  fields?: Map<string, TypeNode>;
  /** list: elements over all its lists. */
  elements: number;
  /** Values visited strictly below this node (array elements, distinct object members). */
  inner: number;
}

const fresh = (kind: NestedKind): TypeNode => ({ kind, elements: 0, inner: 0 });

/** What the walk needs besides the bytes: where it is, for messages, and the cell budget. */
interface Walk {
  readonly bytes: Uint8Array;
  readonly column: string;
  line: number;
  readonly codes: string;
  /** Values visited below the column's cells so far. */
  visited: number;
  /** Most values the budget lets this column visit. */
  readonly limit: number;
  readonly budget: { readonly used: number; readonly limit: number };
}

function count(walk: Walk): void {
  if (++walk.visited > walk.limit) {
    throw tooManyNestedCells(walk.column, walk.budget.used + walk.visited, walk.budget.limit);
  }
}

/** The kind of the value at `at`; a number must be an int64 or a float64 of §1.5, else refused. */
function kindAt(walk: Walk, at: number): NestedKind {
  const { bytes } = walk;
  const b = bytes[at];
  if (b === 0x7b) return 'struct';
  if (b === 0x5b) return 'list';
  if (b === 0x22) return 'string';
  if (b === 0x74 || b === 0x66) return 'bool';
  if (b === 0x6e) return 'null';
  const end = valueEnd(bytes, at);
  if (!Number.isNaN(parseSafeInteger(bytes, at, end))) return 'int';
  if (!Number.isNaN(parseDecimal(bytes, at, end, true, false))) return 'float';
  const token = new TextDecoder().decode(bytes.subarray(at, Math.min(end, at + 40)));
  throw new DatasetError(
    `${walk.codes}.UNREPRESENTABLE_NUMBER`,
    `line ${walk.line}: column "${walk.column}" holds the number ${token} inside a nested value, which is neither an int64 (at most 2^53 in magnitude) nor a finite float64`,
    { details: { line: walk.line, column: walk.column, value: token } },
  );
}

/** Walks a value under a `json` node: only counts its values and checks its numbers. */
function walkFallback(walk: Walk, at: number): void {
  const kind = kindAt(walk, at);
  if (kind === 'list') {
    forEachElement(walk.bytes, at, (element) => {
      count(walk);
      walkFallback(walk, element);
    });
  } else if (kind === 'struct') {
    for (const member of objectMembers(walk.bytes, at, () => count(walk)).values())
      walkFallback(walk, member);
  }
}

/** Joins `node` with a value of `kind`: int and float give float; any other disagreement, json. */
function join(node: TypeNode | undefined, kind: NestedKind): TypeNode {
  if (!node || node.kind === 'null') return fresh(kind);
  if (kind === 'null' || node.kind === kind || node.kind === 'json') return node;
  if ((node.kind === 'int' && kind === 'float') || (node.kind === 'float' && kind === 'int')) {
    node.kind = 'float';
    return node;
  }
  return { ...fresh('json'), inner: node.inner };
}

/** Adds the value at `at` to the type of its position. */
function visit(walk: Walk, node: TypeNode | undefined, at: number): TypeNode {
  const kind = kindAt(walk, at);
  const target = join(node, kind);
  const before = walk.visited;
  if (target.kind === 'json') {
    walkFallback(walk, at);
  } else if (kind === 'list') {
    forEachElement(walk.bytes, at, (element) => {
      count(walk);
      target.elements++;
      target.element = visit(walk, target.element, element);
    });
  } else if (kind === 'struct') {
    const fields = target.fields ?? new Map<string, TypeNode>();
    target.fields = fields;
    for (const [key, member] of objectMembers(walk.bytes, at, () => count(walk))) {
      fields.set(key, visit(walk, fields.get(key), member));
    }
  }
  target.inner += walk.visited - before;
  return target;
}

/**
 * Child slots a node of `occurrences` slots adds below itself (nulls included): what its
 * column costs in the cell budget beyond its own row cells.
 */
export function childSlots(node: TypeNode | undefined, occurrences: number): number {
  if (!node) return 0;
  switch (node.kind) {
    case 'list':
      return node.elements + childSlots(node.element, node.elements);
    case 'struct': {
      let total = 0;
      for (const field of node.fields?.values() ?? []) total += occurrences + childSlots(field, occurrences);
      return total;
    }
    case 'json':
      return node.inner;
    default:
      return 0;
  }
}

/** The running cell count of a text dataset against its budget. */
export interface CellBudget {
  used: number;
  readonly limit: number;
}

/**
 * Infers the type of a column that holds at least one object or array, in one pass over its
 * cells in row order; charges its child slots to `budget` (refusing past it) before anything
 * is built. `seed` continues from a type already inferred (it is updated in place): a shard
 * seeded with its dataset's type gets that type back, with the counts of its own rows.
 */
export function inferNested(column: ColumnCells, budget: CellBudget, seed?: TypeNode): TypeNode {
  const { flags, start, stride, rows } = column;
  let root: TypeNode | undefined = seed;
  const walk: Walk = {
    bytes: column.bytes,
    column: column.name,
    line: 0,
    codes: column.nested?.codes ?? 'JSONL',
    visited: 0,
    limit: budget.limit - budget.used,
    budget,
  };
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) continue;
    // A string cell holds decoded content, not JSON text: its kind is all there is to know.
    if (f & CELL_TEXT) root = join(root, 'string');
    else {
      walk.line = column.nested?.line(r) ?? r + 1;
      root = visit(walk, root, start[i]!);
    }
  }
  const type = root ?? fresh('null');
  const slots = childSlots(type, rows);
  if (budget.used + slots > budget.limit)
    throw tooManyNestedCells(column.name, budget.used + slots, budget.limit);
  budget.used += slots;
  return type;
}
