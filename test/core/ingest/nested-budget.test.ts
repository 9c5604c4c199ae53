import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { sparseStructJson, tinyNestedValues } from '../../fixtures/bombs.js';
import { utf8 } from './table-values.js';

const MiB = 2 ** 20;
const cellsOf = (budget: number) => budget / 16;

describe('the cell budget on nested JSON', () => {
  it('refuses one row of 3,000,000 tiny list values past a 2,097,152-cell budget, and reads it under a larger one', async () => {
    const bytes = tinyNestedValues(3_000_000);
    await expect(ingest(bytes, { maxDecodedBytes: 32 * MiB })).rejects.toMatchObject({
      kind: 'too-large',
      code: 'DATASET.TOO_MANY_CELLS',
      details: { column: 'a', limit: cellsOf(32 * MiB) },
    });
    const { table } = await ingest(bytes, { maxDecodedBytes: 64 * MiB });
    expect(table.getChild('a')!.data[0]!.children[0]!.length).toBe(3_000_000);
  });

  it('charges the null slots of struct keys missing from later rows, before building', async () => {
    const bytes = sparseStructJson(1000, 3000);
    await expect(ingest(bytes, { maxDecodedBytes: 32 * MiB })).rejects.toMatchObject({
      code: 'DATASET.TOO_MANY_CELLS',
      details: { column: 's', cells: 1000 + 1000 * 3000, limit: cellsOf(32 * MiB) },
    });
    const { table } = await ingest(bytes, { maxDecodedBytes: 64 * MiB });
    expect(table.getChild('s')!.type.children.length).toBe(3000);
  });

  it('counts exactly rows × columns plus every child slot', async () => {
    // 2 rows × 2 columns = 4, list slots 3 (1, 2, 3), struct slots 2 × 2 fields = 4: 11 cells.
    const text = '{"l":[1,2],"s":{"p":1}}\n{"l":[3],"s":{"q":2}}\n';
    await expect(ingest(utf8(text), { maxDecodedBytes: 10 * 16 })).rejects.toMatchObject({
      code: 'DATASET.TOO_MANY_CELLS',
    });
    const { table } = await ingest(utf8(text), { maxDecodedBytes: 11 * 16 });
    expect(table.numRows).toBe(2);
  });

  it('counts the values inside canonical JSON text as cells too', async () => {
    // 2 rows × 1 column = 2, plus the 4 values inside the two fallback values: 6 cells.
    const text = '{"a":[1,2,3]}\n{"a":{"k":1}}\n';
    await expect(ingest(utf8(text), { maxDecodedBytes: 5 * 16 })).rejects.toMatchObject({
      code: 'DATASET.TOO_MANY_CELLS',
    });
    expect((await ingest(utf8(text), { maxDecodedBytes: 6 * 16 })).table.numRows).toBe(2);
  });
});
