import { Bool, type Data, type DataType, Field, Float64, Int64, List, Struct } from 'apache-arrow';
import { CELL_NULL, CELL_TEXT, type ColumnCells } from './cells.js';
import { forEachElement, objectMembers, valueEnd } from './json-value.js';
import type { TypeNode } from './nested-infer.js';
import {
  type Builder,
  finishData,
  MAX_FALLBACK_VALUE_BYTES,
  MAX_INT32_OFFSET,
  ScalarBuilder,
  type Source,
  TextBuilder,
  tooLarge,
  Validity,
} from './nested-leaves.js';

const decoder = new TextDecoder();

/** The name of a list's child field, as pyarrow names it. */
export const LIST_ITEM = 'item';

class ListBuilder implements Builder {
  readonly type: List;
  private readonly validity: Validity;
  private readonly offsets: Int32Array;
  private readonly child: Builder;
  private i = 0;
  private at = 0;

  constructor(
    private readonly src: Source,
    private readonly size: number,
    node: TypeNode,
  ) {
    if (node.elements > MAX_INT32_OFFSET) {
      throw tooLarge(src.column, 'list elements', node.elements, MAX_INT32_OFFSET);
    }
    this.child = builderFor(src, node.element, node.elements);
    this.type = new List(new Field(LIST_ITEM, this.child.type, true));
    this.validity = new Validity(size);
    this.offsets = new Int32Array(size + 1);
  }

  value(at: number): void {
    const { child } = this;
    const { bytes } = this.src;
    const numbers = child instanceof ScalarBuilder && child.numeric ? child : undefined;
    const end = numbers ? valueEnd(bytes, at) : at;
    if (numbers && end - at <= MAX_FALLBACK_VALUE_BYTES) {
      // A list of numbers (embeddings, token ids) in one JSON.parse: V8 rounds correctly, as
      // parseDecimal does, and it is faster than a value at a time. Past V8's string reach,
      // the loop below.
      const values = JSON.parse(decoder.decode(bytes.subarray(at, end))) as (number | null)[];
      for (const v of values) numbers.number(v);
      this.at += values.length;
      this.validity.set(this.i, true);
      this.offsets[++this.i] = this.at;
      return;
    }
    forEachElement(this.src.bytes, at, (element) => {
      addValue(this.child, this.src.bytes, element);
      this.at++;
    });
    this.validity.set(this.i, true);
    this.offsets[++this.i] = this.at;
  }

  text(): void {
    throw new Error('unreachable: a string cell under a list type');
  }

  nul(): void {
    this.validity.set(this.i, false);
    this.offsets[++this.i] = this.at;
  }

  finish(): Data {
    return finishData(this.type, this.size, this.validity, {
      valueOffsets: this.offsets,
      child: this.child.finish(),
    });
  }
}

class StructBuilder implements Builder {
  readonly type: Struct;
  private readonly validity: Validity;
  private readonly children: Map<string, Builder>;
  private i = 0;

  constructor(
    private readonly src: Source,
    private readonly size: number,
    node: TypeNode,
  ) {
    this.children = new Map(
      [...(node.fields ?? new Map<string, TypeNode>())].map(([name, field]) => [
        name,
        builderFor(src, field, size),
      ]),
    );
    this.type = new Struct([...this.children].map(([name, b]) => new Field(name, b.type, true)));
    this.validity = new Validity(size);
  }

  value(at: number): void {
    const members = objectMembers(this.src.bytes, at);
    for (const [name, child] of this.children) {
      const member = members.get(name);
      if (member === undefined) child.nul();
      else addValue(child, this.src.bytes, member);
    }
    this.validity.set(this.i++, true);
  }

  text(): void {
    throw new Error('unreachable: a string cell under a struct type');
  }

  /** Every child gets a null slot under a null struct, so children keep the struct's length. */
  nul(): void {
    for (const child of this.children.values()) child.nul();
    this.validity.set(this.i++, false);
  }

  finish(): Data {
    return finishData(this.type, this.size, this.validity, {
      children: [...this.children.values()].map((b) => b.finish()),
    });
  }
}

/** A JSON `null` is a null slot whatever the builder. */
function addValue(builder: Builder, bytes: Uint8Array, at: number): void {
  if (bytes[at] === 0x6e) builder.nul();
  else builder.value(at);
}

function builderFor(src: Source, node: TypeNode | undefined, size: number): Builder {
  switch (node?.kind) {
    case 'bool':
      return new ScalarBuilder(new Bool(), src, size);
    case 'int':
      return new ScalarBuilder(new Int64(), src, size);
    case 'float':
      return new ScalarBuilder(new Float64(), src, size);
    case 'list':
      return new ListBuilder(src, size, node);
    case 'struct':
      return new StructBuilder(src, size, node);
    case 'json':
      return new TextBuilder(src, size, true);
    default:
      // string, and positions that only ever held nulls (or no value at all).
      return new TextBuilder(src, size, false);
  }
}

/** The Arrow type `buildNested` gives a column of type `type` (whatever its counts). */
export function nestedArrowType(type: TypeNode): DataType {
  return builderFor({ bytes: new Uint8Array(0), column: '' }, type, 0).type;
}

/** Builds a nested column's Arrow data from its cells and the type nested inference gave it. */
export function buildNested(column: ColumnCells, type: TypeNode): Data {
  const src = { bytes: column.bytes, column: column.name };
  const builder = builderFor(src, type, column.rows);
  const { flags, start, end, stride, rows } = column;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) builder.nul();
    else if (f & CELL_TEXT) builder.text(column.bytes.subarray(start[i]!, end[i]!));
    else builder.value(start[i]!);
  }
  return builder.finish();
}
