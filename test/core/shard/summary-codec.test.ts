import { Null, Table, Uint64, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { type ShardSummary, summarizeShard } from '../../../functions/core/shard/sharded-assign.js';
import { decodeSummary, encodeSummary } from '../../../functions/core/shard/summary-codec.js';
import { SplitSpec } from '../../../schemas/spec.js';
import { makeTable } from '../split/table-fixtures.js';

const ratios = { train: 0.5, validation: 0.25, test: 0.25 };
const base = makeTable({
  id: ['int', [3, -1, 2 ** 40, 3, 0]],
  f: ['float', [0.5, -0, 2, 1e300, -7]],
  s: ['utf8', ['b', 'é', null, 'b', '']],
  t: ['ts', [5, 1, 3, 1, 2]],
  n: ['int', [1, null, 2, 3, 4]],
});
const table = new Table({
  ...Object.fromEntries(base.schema.fields.map((f) => [f.name, base.getChild(f.name)!])),
  u: vectorFromArray([0n, 2n ** 64n - 1n, 5n, 2n ** 63n, 1n], new Uint64()),
  z: vectorFromArray([null, null, null, null, null], new Null()),
});
const shard = { rows: 5, columns: flattenTable(table) };

const SPECS: [string, Record<string, unknown>][] = [
  ['random', { strategy: 'random' }],
  ['stratified on text with a null', { strategy: 'stratified', stratifyBy: 's' }],
  ['group on int64', { strategy: 'group', groupBy: 'id' }],
  ['stratified-group', { strategy: 'stratified-group', stratifyBy: 's', groupBy: 'f' }],
  [
    'stratified-group with a refused groupBy',
    { strategy: 'stratified-group', stratifyBy: 's', groupBy: 'z' },
  ],
  ['hash', { strategy: 'hash', key: 'id' }],
  ['time on floats', { strategy: 'time', orderBy: 'f' }],
  ['time on int64 timestamps', { strategy: 'time', orderBy: 't' }],
  ['time on uint64', { strategy: 'time', orderBy: 'u' }],
  ['time on text', { strategy: 'time', orderBy: 's' }],
  ['time with a null', { strategy: 'time', orderBy: 'n' }],
];

function summaryOf(fields: Record<string, unknown>): ShardSummary {
  return summarizeShard(shard, SplitSpec.parse({ seed: 4, ratios, ...fields }));
}

describe('shard summary bytes', () => {
  it.each(SPECS)('round-trips a summary for %s', (_name, fields) => {
    const summary = summaryOf(fields);
    const bytes = encodeSummary(summary);
    expect(decodeSummary(bytes)).toEqual(summary);
    // A view at an odd offset (a slice of a larger download) decodes the same.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeSummary(shifted.subarray(3))).toEqual(summary);
  });

  it.each(SPECS)('survives structured clone for %s (worker_threads)', (_name, fields) => {
    const summary = summaryOf(fields);
    expect(structuredClone(summary)).toEqual(summary);
  });

  it('starts with the magic and the version, then the header length', () => {
    const bytes = encodeSummary(summaryOf({ strategy: 'random' }));
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('SVSS');
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect(dv.getUint32(4, true)).toBe(1);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + dv.getUint32(8, true))));
    expect(header).toEqual({ version: 1, strategy: 'random', rows: 5 });
  });

  it('refuses bytes of another version, other bytes and a truncated summary', () => {
    const bytes = encodeSummary(summaryOf({ strategy: 'group', groupBy: 'id' }));
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, 2, true);
    expect(() => decodeSummary(other)).toThrow(/version 2/);
    expect(() => decodeSummary(new TextEncoder().encode('PAR1 and more bytes'))).toThrow(
      /not a shard summary/,
    );
    expect(() => decodeSummary(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
