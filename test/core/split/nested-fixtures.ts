import {
  Bool,
  type DataType,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  LargeList,
  LargeUtf8,
  List,
  Map_,
  makeData,
  Null,
  Struct,
  Table,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { range } from './table-fixtures.js';

const f = (name: string, type: DataType, nullable = true) => new Field(name, type, nullable);

/** A list column whose null rows still span items, and whose items hold values under nulls. */
function ghostList(n: number): Vector {
  const offsets = Int32Array.from(range(n + 1), (i) => i * 2);
  const values = Int32Array.from(range(n * 2), (i) => 1000 + i);
  const itemBits = Uint8Array.from(range((n * 2 + 7) >> 3), () => 0b1011_0111);
  const rowBits = Uint8Array.from(range((n + 7) >> 3), () => 0b1101_1011);
  const item = makeData({ type: new Int32(), length: n * 2, nullBitmap: itemBits, data: values });
  const type = new List(f('item', new Int32()));
  return new Vector([makeData({ type, length: n, nullBitmap: rowBits, valueOffsets: offsets, child: item })]);
}

/** One chunk per column of every nested kind, plus null and dictionary columns, n rows. */
export function nestedTable(n: number): Table {
  const r = range(n);
  return new Table({
    tokens: vectorFromArray(
      r.map((i) => (i % 4 === 3 ? null : r.slice(0, i % 5).map((j) => (j % 3 === 1 ? null : j * i)))),
      new List(f('item', new Int32())),
    ),
    words: vectorFromArray(
      r.map((i) => (i % 5 === 4 ? null : r.slice(0, i % 3).map((j) => `w${j}${'x'.repeat(i % 40)}`))),
      new LargeList(f('item', new LargeUtf8())),
    ),
    embedding: vectorFromArray(
      r.map((i) => (i % 6 === 5 ? null : [i, i + 0.5, -i, i * 2])),
      new FixedSizeList(4, f('item', new Float32())),
    ),
    record: vectorFromArray(
      r.map((i) =>
        i % 7 === 6
          ? null
          : { a: BigInt(i), b: i % 2 ? `s${i}` : null, c: [true, i % 2 === 0, null].slice(i % 3) },
      ),
      new Struct([f('a', new Int64()), f('b', new Utf8()), f('c', new List(f('item', new Bool())))]),
    ),
    attrs: vectorFromArray(
      r.map((i) => (i % 3 === 2 ? null : new Map(r.slice(0, i % 4).map((j) => [`k${j}`, j / 2])))),
      new Map_(
        new Field(
          'entries',
          new Struct([f('key', new Utf8(), false), f('value', new Float64())]),
          false,
        ) as never,
      ),
    ),
    deep: vectorFromArray(
      r.map((i) =>
        i % 8 === 7 ? null : r.slice(0, i % 3).map((j) => ({ xs: [[j, i]], tag: j % 2 ? null : `t${j}` })),
      ),
      new List(
        f(
          'item',
          new Struct([f('xs', new List(f('item', new List(f('item', new Int32()))))), f('tag', new Utf8())]),
        ),
      ),
    ),
    nothing: vectorFromArray(
      r.map(() => null),
      new Null(),
    ),
    label: vectorFromArray(
      r.map((i) => (i % 5 === 0 ? null : ['cat', 'dog', 'bird'][i % 3]!)),
      new Dictionary(new Utf8(), new Int8()),
    ),
    code: vectorFromArray(
      r.map((i) => (i % 9 === 0 ? null : BigInt(i % 4) * 1000n)),
      new Dictionary(new Int64(), new Int32(), 7),
    ),
    ghost: ghostList(n),
  });
}
