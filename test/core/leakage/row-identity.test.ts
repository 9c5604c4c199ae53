import { createHash } from 'node:crypto';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { keyIdentities, rowIdentities } from '../../../functions/core/leakage/row-identity.js';

const hex = (ids: Uint8Array, row: number) =>
  Buffer.from(ids.subarray(row * 32, row * 32 + 32)).toString('hex');
const csv = async (text: string) => ingestColumns(new TextEncoder().encode(text), { format: 'csv' });

describe('row identity', () => {
  it('matches the worked example of SPLIT-SPEC §8.1 for one int64 column holding 3', () => {
    const table = tableFromArrays({ a: BigInt64Array.from([3n]) });
    const ids = rowIdentities(flattenTable(table), 1);
    expect(hex(ids, 0)).toBe('2b2ce654c5dfc746473871a2cd49fe6f9b042143387de9a93b57e03d23680d05');
  });

  it('gives equal rows the same identity and rows differing in one value different ones', async () => {
    const { columns, rows } = await csv('id,text,x\n1,a,2.5\n1,a,2.5\n1,b,2.5\n');
    const ids = rowIdentities(columns, rows);
    expect(hex(ids, 0)).toBe(hex(ids, 1));
    expect(hex(ids, 2)).not.toBe(hex(ids, 0));
  });

  it('encodes a row as its names and §2.3 keys, so an int and an integer-valued float agree', async () => {
    const ints = await csv('n,s\n2,x\n');
    const floats = await csv('n,s\n2.0,x\n');
    expect(hex(rowIdentities(ints.columns, 1), 0)).toBe(hex(rowIdentities(floats.columns, 1), 0));
    const expected = createHash('sha256')
      .update(Buffer.from('splitvault-row-v1\0', 'latin1'))
      .update(Buffer.from([0, 0, 0, 1, 0x6e, 0, 0, 0, 2, 0x69, 0x32]))
      .update(Buffer.from([0, 0, 0, 1, 0x73, 0, 0, 0, 2, 0x73, 0x78]))
      .digest('hex');
    expect(hex(rowIdentities(ints.columns, 1), 0)).toBe(expected);
  });

  it('tells a null from an empty string and a renamed column from the original', async () => {
    const jsonl = (text: string) => ingestColumns(new TextEncoder().encode(text), { format: 'jsonl' });
    const a = await jsonl('{"t":"","k":1}\n{"t":null,"k":1}\n');
    const b = await jsonl('{"u":"","k":1}\n');
    const ids = rowIdentities(a.columns, a.rows);
    expect(a.rows).toBe(2);
    expect(hex(ids, 0)).not.toBe(hex(ids, 1));
    expect(hex(rowIdentities(b.columns, 1), 0)).not.toBe(hex(ids, 0));
  });

  it('frames nested values so that list boundaries are part of the identity', async () => {
    const lines = '{"l":[["ab"],["c"]]}\n{"l":[["a"],["bc"]]}\n{"l":[["ab","c"]]}\n';
    const { columns, rows } = await ingestColumns(new TextEncoder().encode(lines), { format: 'jsonl' });
    const ids = rowIdentities(columns, rows);
    expect(new Set([hex(ids, 0), hex(ids, 1), hex(ids, 2)]).size).toBe(3);
  });

  it('identifies a row by one key column with the key prefix', async () => {
    const { columns } = await csv('k,v\nabc,1\nabc,2\n');
    const ids = keyIdentities(columns[0]!, 'a key');
    const expected = createHash('sha256')
      .update(Buffer.from('splitvault-key-v1\0sabc', 'latin1'))
      .digest('hex');
    expect(hex(ids, 0)).toBe(expected);
    expect(hex(ids, 1)).toBe(expected);
  });
});
