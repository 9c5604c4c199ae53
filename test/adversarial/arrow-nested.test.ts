import {
  Field,
  Int32,
  Int64,
  Map_,
  makeData,
  makeVector,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../functions/core/errors.js';
import { ingest } from '../../functions/core/ingest/index.js';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'read',
    (error: unknown) => (error instanceof SplitvaultError ? error.code : `raw ${String(error)}`),
  );

/** A Map<Utf8, Int32> stream whose non-nullable key child holds two nulls. */
function mapWithNullKeys(): Uint8Array {
  const n = 20;
  const keys = vectorFromArray(['a', null, 'c', null], new Utf8()).data[0]!;
  const values = vectorFromArray([1, 2, 3, 4], new Int32()).data[0]!;
  const entriesType = new Struct([
    new Field('key', new Utf8(), false),
    new Field('value', new Int32(), true),
  ]);
  const entries = makeData({ type: entriesType, length: 4, children: [keys, values] });
  const type = new Map_(new Field('entries', entriesType, false));
  const valueOffsets = Int32Array.from({ length: n + 1 }, (_, i) => Math.min(i, 4));
  const id = vectorFromArray(
    Array.from({ length: n }, (_, i) => BigInt(i)),
    new Int64(),
  );
  return tableToIPC(
    new Table({ id, m: makeVector(makeData({ type, length: n, child: entries, valueOffsets })) }),
    'stream',
  );
}

describe('hostile nested Arrow inputs', () => {
  it('refuses a map whose keys hold nulls as ARROW.CORRUPT, since Arrow forbids null map keys and readers refuse such a split file', async () => {
    expect(await codeOf(ingest(mapWithNullKeys()))).toBe('ARROW.CORRUPT');
  });
});
