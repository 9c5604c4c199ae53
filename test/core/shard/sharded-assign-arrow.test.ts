import {
  DateDay,
  Decimal,
  Dictionary,
  Float16,
  Float64,
  Int8,
  Int32,
  makeData,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Uint64,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { arbSpec } from './support/arbitraries.js';
import { OutcomeTally } from './support/coverage.js';
import { shardedOutcome, wholeOutcome } from './support/parity.js';
import { cutIntoShards } from './support/slice-columns.js';

/** A decimal column from raw little-endian 32-bit words (`words` per value), as writers store it. */
function decimalVector(bits: 32 | 64 | 128 | 256, words: number[]): Vector {
  const type = new Decimal(2, { 32: 9, 64: 18, 128: 38, 256: 76 }[bits], bits);
  return new Vector([
    makeData({ type, length: words.length / (bits / 32), data: Int32Array.from(words) } as never),
  ]);
}

const arbRow = fc.record({
  k: fc.option(fc.integer({ min: -3, max: 3 }), { freq: 6 }),
  x: fc.option(fc.constantFrom(Number.NaN, 0, -0, 1.5, 2, -7, 1e300), { freq: 8 }),
  xs: fc.constantFrom(0, -0, 1.5, 2, -7, 0.1, -1e-300),
  h: fc.constantFrom(0, 0.5, -2, 65504),
  d: fc.option(fc.constantFrom('a', 'b', 'é', '', 'zz'), { freq: 6 }),
  u: fc.constantFrom(0n, 1n, 5n, 2n ** 63n, 2n ** 64n - 1n),
  ts: fc.integer({ min: -5, max: 5 }),
  dt: fc.integer({ min: 0, max: 4 }),
  i8: fc.integer({ min: -128, max: 127 }),
  dec: fc.tuple(fc.constantFrom(0, 1, -1, 7), fc.constantFrom(0, -1, 2 ** 31 - 1)),
});

/** Arrow IPC file bytes of random rows: nulls, NaN, -0, half floats, dictionaries, uint64, decimals. */
const arbArrow = fc.array(arbRow, { minLength: 1, maxLength: 50 }).map((rows) => {
  const col = <K extends keyof (typeof rows)[0]>(key: K) => rows.map((r) => r[key]);
  const table = new Table({
    k: vectorFromArray(col('k'), new Int32()),
    x: vectorFromArray(col('x'), new Float64()),
    xs: vectorFromArray(col('xs'), new Float64()),
    h: vectorFromArray(col('h'), new Float16()),
    d: vectorFromArray(col('d'), new Dictionary(new Utf8(), new Int32())),
    u: vectorFromArray(col('u'), new Uint64()),
    ts: vectorFromArray(col('ts'), new TimestampMillisecond()),
    dt: vectorFromArray(
      col('dt').map((day) => new Date(day * 86400000)),
      new DateDay(),
    ),
    i8: vectorFromArray(col('i8'), new Int8()),
    // Low word small, high words all 0 or all 1s (sign) or a large positive: both signs, ties.
    dec: decimalVector(
      128,
      rows.flatMap(({ dec: [lo, hi] }) => [lo, hi, hi < 0 ? -1 : 0, hi < 0 ? -1 : 0]),
    ),
    dec32: decimalVector(
      32,
      rows.map(({ dec: [lo] }) => lo),
    ),
    dec64: decimalVector(
      64,
      rows.flatMap(({ dec: [lo, hi] }) => [lo, hi]),
    ),
    dec256: decimalVector(
      256,
      rows.flatMap(({ dec: [lo, hi] }) => [lo, hi, ...new Array<number>(6).fill(hi < 0 ? -1 : 0)]),
    ),
  });
  return tableToIPC(table, 'file');
});

const arrowColumns = {
  stratify: ['k', 'd', 'x', 'u', 'dec', 'h'],
  group: ['k', 'd', 'u', 'dec256', 'ts'],
  hash: ['k', 'd', 'x', 'u', 'dec', 'dec64', 'ts', 'dt'],
  order: ['xs', 'x', 'h', 'u', 'ts', 'dt', 'i8', 'dec', 'dec32', 'dec64', 'dec256', 'k', 'd'],
  sgStratify: ['d', 'k', 'i8'],
};

describe('sharded assignment on Arrow input ingested whole', () => {
  it('matches the one-process engine on nulls, NaN, dictionaries, uint64, half floats and decimals of every width, wherever the shards are cut', async () => {
    const tally = new OutcomeTally();
    await fc.assert(
      fc.asyncProperty(
        arbArrow,
        arbSpec(arrowColumns),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 7 }),
        fc.boolean(),
        async (bytes, spec, rawCuts, viaBytes) => {
          const { columns, rows } = await ingestColumns(bytes);
          const cuts = rawCuts.map((c) => c % (rows + 1)).sort((a, b) => a - b);
          const shards = cutIntoShards(columns, rows, cuts);
          const whole = wholeOutcome(columns, rows, spec);
          expect(shardedOutcome(shards, spec, viaBytes)).toEqual(whole);
          tally.add(spec, whole);
        },
      ),
      { numRuns: 500 },
    );
    // NaN and type refusals are rarer per run; shard-errors.test.ts covers them on purpose.
    tally.expectCovered(1, ['SPEC.EMPTY_SPLIT', 'SPEC.UNKNOWN_COLUMN', 'TIME.NULL_ORDER_VALUE']);
  });
});
