import {
  Bool,
  type DataType,
  Dictionary,
  Field,
  FixedSizeList,
  Float64,
  Int8,
  Int32,
  LargeList,
  List,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { referenceFile } from './take-reference.js';

/** A random Arrow type (nested up to depth 3) with an arbitrary of its values, nulls included. */
interface Shape {
  readonly type: DataType;
  readonly value: fc.Arbitrary<unknown>;
}

const orNull = (a: fc.Arbitrary<unknown>) => fc.option(a, { nil: null, freq: 4 });
const field = (name: string, s: Shape) => new Field(name, s.type, true);

const leaves: fc.Arbitrary<Shape>[] = [
  fc.constant({ type: new Int32(), value: orNull(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })) }),
  fc.constant({ type: new Float64(), value: orNull(fc.double({ noNaN: true })) }),
  fc.constant({ type: new Bool(), value: orNull(fc.boolean()) }),
  fc.constant({ type: new Utf8(), value: orNull(fc.string({ maxLength: 6 })) }),
  // A new type each time: two fields may not share a dictionary id.
  fc.constant(null).map(() => ({
    type: new Dictionary(new Utf8(), new Int8()),
    value: orNull(fc.constantFrom('cat', 'dog', 'bird')),
  })),
];

const shape: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ...leaves,
    tie('shape').map((c) => ({
      type: new List(field('item', c)),
      value: orNull(fc.array(c.value, { maxLength: 4 })),
    })),
    tie('shape').map((c) => ({
      type: new LargeList(field('item', c)),
      value: orNull(fc.array(c.value, { maxLength: 3 })),
    })),
    fc.tuple(tie('shape'), fc.integer({ min: 1, max: 3 })).map(([c, k]) => ({
      type: new FixedSizeList(k, field('item', c)),
      value: orNull(fc.array(c.value, { minLength: k, maxLength: k })),
    })),
    fc.tuple(tie('shape'), tie('shape')).map(([a, b]) => ({
      type: new Struct([field('a', a), field('b', b)]),
      value: orNull(fc.record({ a: a.value, b: b.value })),
    })),
  ),
})).shape;

const column = shape.chain((s) =>
  fc.record({ shape: fc.constant(s), values: fc.array(s.value, { minLength: 1, maxLength: 40 }) }),
);

describe('split files of random nested columns', () => {
  // At least one row: with none, a split file still carries its dictionaries, which apache-arrow omits (§6.3).
  it('are the bytes apache-arrow writes for the same rows, whatever the chunking of the source', () => {
    fc.assert(
      fc.property(
        column,
        fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
        fc.nat(),
        ({ shape: s, values }, raw, cut) => {
          const table = new Table({
            id: vectorFromArray(
              values.map((_, i) => i),
              new Int32(),
            ),
            c: vectorFromArray(values, s.type),
          });
          const picks = raw.map((r) => r % values.length);
          const rows = Uint32Array.from(picks);
          const bytes = encodeSplit(table.schema, flattenTable(table), rows);
          expect(Buffer.from(bytes).equals(Buffer.from(referenceFile(table, picks)))).toBe(true);
          const at = cut % (values.length + 1);
          const chunked = table.slice(0, at).concat(table.slice(at));
          expect(
            Buffer.from(encodeSplit(chunked.schema, flattenTable(chunked), rows)).equals(Buffer.from(bytes)),
          ).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
