import {
  Binary,
  Bool,
  Data,
  type DataType,
  DateDay,
  Dictionary,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  LargeBinary,
  LargeList,
  LargeUtf8,
  List,
  Map_,
  Null,
  Struct,
  Table,
  TimestampMillisecond,
  Type,
  Uint8,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import type { FlatColumn } from '../../../functions/core/arrow/flat-column.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';

/** A small deterministic PRNG (mulberry32), so a fast-check seed names a whole table. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const maybe = <T>(r: Rand, p: number, v: () => T): T | null => (r() < p ? null : v());
const text = (r: Rand) => Array.from({ length: int(r, 0, 8) }, () => 'abé-xyz'[int(r, 0, 6)]).join('');
const bytes = (r: Rand) => Uint8Array.from({ length: int(r, 0, 6) }, () => int(r, 0, 255));

interface Kind {
  readonly type: () => DataType;
  readonly value: (r: Rand) => unknown;
}

const f = (name: string, type: DataType, nullable = true) => new Field(name, type, nullable);

/** Every column kind split files carry, each with a value maker (nested nulls included). */
export const KINDS: Record<string, Kind> = {
  int32: { type: () => new Int32(), value: (r) => int(r, -1000, 1000) },
  int64: { type: () => new Int64(), value: (r) => BigInt(int(r, -5, 5)) * 1_000_000_007n },
  float64: { type: () => new Float64(), value: (r) => r() * 100 - 50 },
  bool: { type: () => new Bool(), value: (r) => r() < 0.5 },
  utf8: { type: () => new Utf8(), value: text },
  largeUtf8: { type: () => new LargeUtf8(), value: text },
  binary: { type: () => new Binary(), value: bytes },
  largeBinary: { type: () => new LargeBinary(), value: bytes },
  uint8: { type: () => new Uint8(), value: (r) => int(r, 0, 255) },
  float32: { type: () => new Float32(), value: (r) => Math.fround(r() * 10) },
  date: { type: () => new DateDay(), value: (r) => new Date(Date.UTC(2020, 0, int(r, 1, 900))) },
  fixedSizeBinary: {
    type: () => new FixedSizeBinary(3),
    value: (r) => Uint8Array.from({ length: 3 }, () => int(r, 0, 255)),
  },
  timestamp: { type: () => new TimestampMillisecond(), value: (r) => 1_700_000_000_000 + int(r, 0, 1e6) },
  null: { type: () => new Null(), value: () => null },
  dictionary: {
    type: () => new Dictionary(new Utf8(), new Int8()),
    value: (r) => ['cat', 'dog', 'bird', 'fish'][int(r, 0, 3)],
  },
  list: {
    type: () => new List(f('item', new Int32())),
    value: (r) => Array.from({ length: int(r, 0, 4) }, () => maybe(r, 0.2, () => int(r, 0, 99))),
  },
  largeList: {
    type: () => new LargeList(f('item', new Utf8())),
    value: (r) => Array.from({ length: int(r, 0, 3) }, () => maybe(r, 0.2, () => text(r))),
  },
  fixedList: {
    type: () => new FixedSizeList(2, f('item', new Float64())),
    value: (r) => [maybe(r, 0.2, () => r()), maybe(r, 0.2, () => r())],
  },
  struct: {
    type: () => new Struct([f('a', new Int32()), f('b', new Bool())]),
    value: (r) => ({ a: maybe(r, 0.3, () => int(r, 0, 9)), b: maybe(r, 0.3, () => r() < 0.5) }),
  },
  map: {
    type: () =>
      new Map_(
        new Field(
          'entries',
          new Struct([f('key', new Utf8(), false), f('value', new Int32())]),
          false,
        ) as never,
      ),
    value: (r) =>
      new Map(Array.from({ length: int(r, 0, 3) }, (_, i) => [`k${i}`, maybe(r, 0.3, () => int(r, 0, 9))])),
  },
  listOfDictionary: {
    type: () => new List(f('item', new Dictionary(new Utf8(), new Int32()))),
    value: (r) =>
      Array.from({ length: int(r, 0, 3) }, () => maybe(r, 0.2, () => ['x', 'y', 'z'][int(r, 0, 2)])),
  },
};
export const KIND_NAMES = Object.keys(KINDS);

/** A random validity bitmap of `n` bits with about `p` of them null; sometimes every bit null. */
function randomBitmap(r: Rand, n: number, p: number): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (r() < p) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nulls };
}

/**
 * Every row's value generated non-null, then a random validity laid over the column: the bytes,
 * bits, strings and list items under its nulls are not zero, as an Arrow IPC source may hold.
 */
function withNullsOver(data: Data, r: Rand, p: number): Data {
  if (data.type.typeId === Type.Null) return data;
  const { bitmap, nulls } = randomBitmap(r, data.length, p);
  const buffers = [data.valueOffsets, data.values, bitmap, data.typeIds];
  return new Data(
    data.type,
    data.offset,
    data.length,
    nulls,
    buffers as never,
    data.children,
    data.dictionary,
  );
}

export interface TableOptions {
  readonly rows: number;
  readonly kinds: readonly string[];
  /** Non-zero bytes under top-level nulls (Arrow IPC input) rather than nulls as values. */
  readonly garbage: boolean;
  /** Share of top-level nulls; 1 gives columns that are entirely null. */
  readonly nullShare: number;
}

/** A one-chunk table of the given column kinds (column i named `c{i}_{kind}`). */
export function randomTable(seed: number, options: TableOptions): Table {
  const r = prng(seed);
  const columns: Record<string, Vector> = {};
  options.kinds.forEach((name, i) => {
    const kind = KINDS[name]!;
    const type = kind.type();
    const values = Array.from({ length: options.rows }, () =>
      options.garbage ? kind.value(r) : maybe(r, options.nullShare, () => kind.value(r)),
    );
    const vector = vectorFromArray(values as never[], type);
    const data = vector.data[0]!;
    columns[`c${i}_${name}`] = options.garbage
      ? new Vector([withNullsOver(data, r, options.nullShare)])
      : vector;
  });
  return new Table(columns);
}

/** One shard's columns: rows [from, to) of the table flattened on their own. */
export function shardColumns(table: Table, from: number, to: number): FlatColumn[] {
  return flattenTable(table.slice(from, to));
}
