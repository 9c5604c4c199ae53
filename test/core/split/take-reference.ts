import {
  Data,
  type DataType,
  type FixedSizeList,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  Table,
  Type,
  tableToIPC,
  Vector,
} from 'apache-arrow';
import { BATCH_ROWS } from '../../../functions/core/arrow/encode.js';

/**
 * A naive take, value by value, for reference files: the chosen rows of `data` as a new Data
 * whose buffers are exactly as long as the values need, keeping whatever the source holds under
 * nulls. Nothing here is shared with the engine.
 */
export function takeData(data: Data, rows: readonly number[]): Data {
  const { type } = data;
  const n = rows.length;
  if (type.typeId === Type.Null) return makeData({ type, length: n } as never);
  let nullCount = 0;
  const bitmap = new Uint8Array((n + 7) >> 3);
  rows.forEach((r, i) => {
    if (data.getValid(r)) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  });
  const common = { type, length: n, nullCount, nullBitmap: nullCount > 0 ? bitmap : undefined };
  const id = type.typeId;
  if (id === Type.Bool) {
    const bits = new Uint8Array((n + 7) >> 3);
    rows.forEach((r, i) => {
      const at = data.offset + r;
      if ((data.values[at >> 3] >> (at & 7)) & 1) bits[i >> 3]! |= 1 << (i & 7);
    });
    return makeData({ ...common, data: bits } as never);
  }
  if (id === Type.List || id === Type.LargeList || id === Type.Map) {
    const { offsets, picks } = spans(data.valueOffsets, rows, id === Type.LargeList);
    return makeData({ ...common, valueOffsets: offsets, child: takeData(data.children[0]!, picks) } as never);
  }
  if (id === Type.FixedSizeList) {
    const size = (type as FixedSizeList).listSize;
    const picks = rows.flatMap((r) => Array.from({ length: size }, (_, j) => r * size + j));
    return makeData({ ...common, child: takeData(data.children[0]!, picks) } as never);
  }
  if (id === Type.Struct) {
    return makeData({ ...common, children: data.children.map((c) => takeData(c, rows)) } as never);
  }
  if (id === Type.Utf8 || id === Type.Binary || id === Type.LargeUtf8 || id === Type.LargeBinary) {
    const large = id === Type.LargeUtf8 || id === Type.LargeBinary;
    const { offsets, picks } = spans(data.valueOffsets, rows, large);
    return makeData({
      ...common,
      valueOffsets: offsets,
      data: Uint8Array.from(picks, (p) => data.values[p]),
    } as never);
  }
  const stride = data.stride;
  const values = new (data.values.constructor as new (n: number) => ArrayLike<unknown> & object)(n * stride);
  rows.forEach((r, i) => {
    for (let j = 0; j < stride; j++)
      (values as unknown as unknown[])[i * stride + j] = data.values[r * stride + j];
  });
  if (id === Type.Dictionary) {
    return makeData({ ...common, data: values, dictionary: data.dictionary } as never);
  }
  return makeData({ ...common, data: values } as never);
}

/** New offsets for the chosen rows, and the child positions they cover, in order. */
function spans(offsets: ArrayLike<number | bigint>, rows: readonly number[], large: boolean) {
  const out = large ? new BigInt64Array(rows.length + 1) : new Int32Array(rows.length + 1);
  const picks: number[] = [];
  rows.forEach((r, i) => {
    const from = Number(offsets[r]);
    const to = Number(offsets[r + 1]);
    for (let p = from; p < to; p++) picks.push(p);
    out[i + 1] = (large ? BigInt(Number(out[i]) + to - from) : Number(out[i]) + to - from) as never;
  });
  return { offsets: out, picks };
}

/** A dictionary as one tight chunk, as a split file's dictionary batch holds it. */
export function tightDictionary(dictionary: Vector): Vector {
  const whole = dictionary.data.length === 1 ? dictionary.data[0]! : dictionary.data;
  const datas = Array.isArray(whole) ? whole : [whole];
  const rows = (d: Data) => Array.from({ length: d.length }, (_, i) => i);
  const parts = datas.map((d) => takeData(d, rows(d)));
  if (parts.length !== 1) throw new Error('reference dictionaries are one chunk');
  return new Vector(parts);
}

/** Replaces the dictionary of every dictionary-typed Data in the tree by `swap(type)`. */
export function withDictionaries(data: Data, swap: (type: DataType, d: Vector) => Vector): Data {
  const children = data.children.map((c) => withDictionaries(c, swap));
  const dictionary = data.dictionary ? swap(data.type, data.dictionary) : undefined;
  return new Data(data.type, data.offset, data.length, data.nullCount, data.buffers, children, dictionary);
}

/**
 * apache-arrow's own file for the chosen rows of a one-chunk table in split-file batches: the
 * reference every split file must equal byte for byte.
 */
export function referenceFile(table: Table, picks: readonly number[]): Uint8Array {
  const columns = table.schema.fields.map((_, c) => {
    const data = table.getChildAt(c)!.data;
    if (data.length !== 1) throw new Error('reference tables are one chunk');
    return withDictionaries(data[0]!, (_t, d) => tightDictionary(d));
  });
  return batchedFile(table.schema, picks, (slice) => columns.map((data) => takeData(data, slice)));
}

/**
 * apache-arrow's file of `picks` in batches of BATCH_ROWS rows, as the engine cuts them; each
 * batch's columns are `children(slice)`, built from the slice's row numbers.
 */
export function batchedFile(
  schema: Schema,
  picks: readonly number[],
  children: (slice: readonly number[]) => Data[],
): Uint8Array {
  const batches: RecordBatch[] = [];
  for (let start = 0; start < picks.length; start += BATCH_ROWS) {
    const slice = picks.slice(start, start + BATCH_ROWS);
    const data = makeData({
      type: new Struct(schema.fields),
      length: slice.length,
      nullCount: 0,
      children: children(slice),
    });
    batches.push(new RecordBatch(schema, data));
  }
  return tableToIPC(new Table(schema, batches), 'file');
}
