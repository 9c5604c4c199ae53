import {
  type DataType,
  DateDay,
  DateMillisecond,
  Dictionary,
  Float32,
  Float64,
  Int32,
  Int64,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../../functions/core/errors.js';
import { ingest } from '../../../functions/core/ingest/index.js';

/**
 * An Arrow stream of two dictionary columns `a` (id 5) and `b` (id 6), with b's id in the
 * schema rewritten to 5: apache-arrow's writer refuses to write such a schema itself.
 */
function sharedDictionaryId(a: [unknown[], DataType], b: [unknown[], DataType]): Uint8Array {
  const bytes = tableToIPC(
    new Table({
      a: vectorFromArray(a[0], new Dictionary(a[1], new Int32(), 5)),
      b: vectorFromArray(b[0], new Dictionary(b[1], new Int32(), 6)),
    }),
    'stream',
  );
  const schemaEnd = 8 + new DataView(bytes.buffer).getInt32(4, true);
  const six = [6, 0, 0, 0, 0, 0, 0, 0];
  const at = bytes.findIndex((_, i) => i < schemaEnd && six.every((v, k) => bytes[i + k] === v));
  expect(at).toBeGreaterThan(0);
  bytes[at] = 5;
  return bytes;
}

const refusal = (source: Uint8Array) =>
  ingest(source).then(
    () => 'read',
    (error: unknown) =>
      error instanceof SplitvaultError ? `${error.code}: ${error.message}` : String(error),
  );

const CORRUPT = 'ARROW.CORRUPT: the Arrow IPC data is corrupt or truncated: ';

describe('dictionary ids shared by fields of different value types', () => {
  it('refuses a dictionary id shared by a Utf8 and an Int64 field as ARROW.CORRUPT, naming both fields and the id', async () => {
    const bytes = sharedDictionaryId([['x', 'y'], new Utf8()], [[1n, 2n], new Int64()]);
    expect(await refusal(bytes)).toBe(
      `${CORRUPT}fields "a" (Utf8) and "b" (Int64) share dictionary id 5 but hold different value types`,
    );
  });

  it('names the precisions when the value types differ only in precision', async () => {
    const bytes = sharedDictionaryId([[1.5, 2.5], new Float64()], [[1.5, 2.5], new Float32()]);
    expect(await refusal(bytes)).toBe(
      `${CORRUPT}fields "a" (Float64) and "b" (Float32) share dictionary id 5 but hold different value types`,
    );
  });

  it('names the units when the value types differ only in unit', async () => {
    const day = new Date(Date.UTC(2020, 0, 1));
    const bytes = sharedDictionaryId([[day], new DateDay()], [[day], new DateMillisecond()]);
    expect(await refusal(bytes)).toBe(
      `${CORRUPT}fields "a" (Date<DAY>) and "b" (Date<MILLISECOND>) share dictionary id 5 but hold different value types`,
    );
  });
});
