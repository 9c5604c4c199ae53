import {
  type Data,
  Field,
  Int64,
  List,
  makeData,
  makeVector,
  Table,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../../functions/core/errors.js';
import { ingest } from '../../../functions/core/ingest/index.js';

/** An Arrow stream whose one column is `levels` lists nested in each other around an int64, one row. */
function nestedLists(levels: number): Uint8Array {
  let data: Data = vectorFromArray([7n], new Int64()).data[0]!;
  for (let i = 0; i < levels; i++) {
    const type = new List(new Field('item', data.type, true));
    data = makeData({ type, length: 1, child: data, valueOffsets: new Int32Array([0, 1]) });
  }
  return tableToIPC(new Table({ a: makeVector(data) }), 'stream');
}

const outcome = (source: Uint8Array) =>
  ingest(source).then(
    ({ table }) => `read ${table.numRows}`,
    (error: unknown) =>
      error instanceof SplitvaultError ? `${error.code}: ${error.message}` : String(error),
  );

describe('how deep an Arrow schema may nest', () => {
  it('reads a column of 64 nested lists, as deep as JSON Lines may nest', async () => {
    expect(await outcome(nestedLists(64))).toBe('read 1');
  });

  it('refuses a column of 65 nested lists as ARROW.CORRUPT, naming the limit', async () => {
    expect(await outcome(nestedLists(65))).toMatch(/^ARROW\.CORRUPT: .*nests more than 64 levels deep/);
  });
});
