import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, makeData } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { flattenColumn, flattenTable } from '../../functions/core/arrow/flat-column.js';
import { SplitvaultError } from '../../functions/core/errors.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingest } from '../../functions/core/ingest/index.js';
import { keyReader } from '../../functions/core/split/keys.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';

/**
 * Golden vectors for keys on decimal, time, duration, date, float16 and fixed-size binary
 * columns (SPLIT-SPEC.md §2.3) and the time strategy on them (§2.4). The input is an Arrow IPC
 * file written by pyarrow (inputs/scalar-keys/make_inputs.py). After a deliberate change, rerun
 * with SPLITVAULT_UPDATE_GOLDEN=1 and review the diff.
 */
const here = import.meta.dirname;
const inputs = join(here, 'inputs', 'scalar-keys');
const expectedPath = join(here, 'scalar-keys.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';
const python = join(here, '../../.tools/venv/bin/python');
const source = new Uint8Array(readFileSync(join(inputs, 'scalar-keys.arrow')));
const ratios = { train: 0.5, validation: 0.25, test: 0.25 };

const KEY_COLUMNS = ['dec', 'dec256', 't32', 't64', 'dur', 'd32', 'd64', 'f16', 'fsb'];
const ORDER_COLUMNS = ['dec_order', 't_order', 'dur_order', 'f16_order', 't64', 'd64'];

const CASES: { name: string; spec: SpecRequestInput }[] = [
  ...KEY_COLUMNS.flatMap((c) => [
    { name: `stratified-${c}`, spec: { strategy: 'stratified', stratifyBy: c, seed: 3, ratios } as const },
    { name: `group-${c}`, spec: { strategy: 'group', groupBy: c, seed: 11, ratios } as const },
    { name: `hash-${c}`, spec: { strategy: 'hash', key: c, seed: 5, ratios } as const },
  ]),
  ...ORDER_COLUMNS.map((c) => ({
    name: `time-${c}`,
    spec: { strategy: 'time', orderBy: c, ratios } as const,
  })),
  { name: 'random', spec: { strategy: 'random', seed: 42, ratios } },
];

type Outcome =
  | { assignments: Record<string, number[]>; artifacts: Record<string, string>; manifestId: string }
  | { refused: string };

/** A case's result; a split left empty (few keys, hash) is a deterministic outcome too. */
async function recorded(spec: SpecRequestInput, name: string): Promise<Outcome> {
  try {
    return await outcomeOf(spec, name);
  } catch (error) {
    if (error instanceof SplitvaultError && error.code === 'SPEC.EMPTY_SPLIT') return { refused: error.code };
    throw error;
  }
}

/** Split files of the cases that split, for the independent Python check. */
const written: { name: string; spec: unknown; files: Record<string, string>; outcome: Outcome }[] = [];
const work = mkdtempSync(join(tmpdir(), 'splitvault-scalar-keys-'));

async function outcomeOf(spec: SpecRequestInput, name?: string): Promise<Outcome> {
  const { manifest, artifacts } = await splitDataset(
    source,
    { sha256: sha256Hex(source), bytes: source.length },
    SpecRequest.parse(spec),
  );
  const { table } = await ingest(source);
  const ids = table.getChild('id')!.toArray() as Int32Array;
  const assignments: Record<string, number[]> = {};
  for (const name of SPLIT_NAMES) {
    const { table: split } = await ingest(artifacts[name]);
    assignments[name] = Array.from(split.getChild('id')?.toArray() ?? [], (id) => ids.indexOf(Number(id)));
  }
  const outcome = {
    assignments,
    artifacts: Object.fromEntries(SPLIT_NAMES.map((n) => [n, manifest.splits[n].sha256])),
    manifestId: manifest.id,
  };
  if (name) {
    const files = Object.fromEntries(
      SPLIT_NAMES.map((n) => {
        const path = join(work, `${name}.${n}.arrow`);
        writeFileSync(path, artifacts[n]);
        return [n, path];
      }),
    );
    written.push({ name, spec: manifest.spec, files, outcome });
  }
  return outcome;
}

async function refusal(spec: SpecRequestInput, bytes = source, maxDecodedBytes?: number) {
  try {
    await splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.length }, SpecRequest.parse(spec), {
      maxDecodedBytes,
    });
  } catch (error) {
    if (error instanceof SplitvaultError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('the split was not refused');
}

describe('scalar-key golden vectors', async () => {
  const outcomes: Record<string, Outcome> = {};
  for (const c of CASES) outcomes[c.name] = await recorded(c.spec, c.name);
  if (update) writeFileSync(expectedPath, `${JSON.stringify(outcomes, null, 2)}\n`);
  const expected: Record<string, Outcome> = JSON.parse(readFileSync(expectedPath, 'utf8'));

  it.each(CASES.map((c) => c.name))(
    'reproduces the recorded assignment, file hashes and manifest id of %s',
    (name) => {
      expect(outcomes[name]).toEqual(expected[name]);
    },
  );

  it('agrees with the independent Python reimplementation of the key and order tables', () => {
    const index = join(work, 'run.json');
    const cases = written.map((w) => ({ ...w, ...w.outcome, source: join(inputs, 'scalar-keys.arrow') }));
    writeFileSync(index, JSON.stringify(cases));
    const out = execFileSync(python, [join(here, 'check_scalar_keys.py'), index], { encoding: 'utf8' });
    expect(out).toContain(`checked ${cases.length} cases`);
    expect(cases.length).toBeGreaterThan(30);
  });

  it('writes every split file byte for byte with the writer built from SPLIT-SPEC.md §3 alone', () => {
    const index = join(work, 'writes.json');
    const files = written.flatMap((w) =>
      SPLIT_NAMES.map((n) => ({
        source: join(inputs, 'scalar-keys.arrow'),
        rows: 'assignments' in w.outcome ? w.outcome.assignments[n] : [],
        file: w.files[n],
      })),
    );
    writeFileSync(index, JSON.stringify(files));
    const out = execFileSync(python, [join(here, 'write_split_file.py'), index], { encoding: 'utf8' });
    expect(out).toContain(`wrote ${files.length} files`);
  });

  it('records a case for every strategy on every new key type', () => {
    expect(Object.keys(expected).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});

describe('canonical keys of the scalar types (SPLIT-SPEC.md §2.3)', async () => {
  const { table } = await ingest(source);
  const columns = flattenTable(table);
  const keysOf = (name: string, rows = 6) => {
    const key = keyReader(columns.find((c) => c.name === name)!, 'a test key');
    return Array.from({ length: rows }, (_, i) => key(i));
  };

  it('keys a decimal by its exact value: integers as i, others as m and their shortest text', () => {
    expect(keysOf('dec')).toEqual(['m1.5', 'm-0.05', 'i2', 'm1.5', 'i0', 'n']);
    expect(keysOf('dec256', 3)).toEqual(['m123456789012345678901234567890.125', 'i-1', 'm7.5']);
  });

  it('keys times of day as h and durations as u, with the stored integer and its unit', () => {
    expect(keysOf('t32', 3)).toEqual([
      'h34200000/millisecond',
      'h34201000/millisecond',
      'h34202000/millisecond',
    ]);
    expect(keysOf('t64', 2)).toEqual(['h0/nanosecond', 'h2000000002/nanosecond']);
    expect(keysOf('dur', 8)).toEqual([
      'u-3600/second',
      'u0/second',
      'u3600/second',
      'u7200/second',
      'u10800/second',
      'u14400/second',
      'u-3600/second',
      'n',
    ]);
  });

  it('keys decimals of every bit width and of negative scale by value, -0.00 as i0', () => {
    const decimals = (scale: number, bitWidth: number, unscaled: bigint[]) => {
      const words = bitWidth / 64;
      const data = new BigUint64Array(unscaled.length * words);
      unscaled.forEach((v, i) => {
        for (let w = 0; w < words; w++) data[i * words + w] = BigInt.asUintN(64, v >> BigInt(64 * w));
      });
      const type = new Decimal(scale, 38, bitWidth);
      const col = flattenColumn(
        'd',
        type,
        [makeData({ type, length: unscaled.length, data: new Uint32Array(data.buffer) })],
        unscaled.length,
      );
      const key = keyReader(col, 'a test key');
      return unscaled.map((_, i) => key(i));
    };
    expect(decimals(-2, 128, [1n, -3n, 0n])).toEqual(['i100', 'i-300', 'i0']);
    expect(decimals(2, 128, [-0n, -150n, -5n, 12345678901234567890123n])).toEqual([
      'i0',
      'm-1.5',
      'm-0.05',
      'm123456789012345678901.23',
    ]);
    expect(decimals(3, 256, [-(2n ** 200n), 1n])).toEqual([
      `m-${2n ** 200n / 1000n}.${(2n ** 200n % 1000n).toString().padStart(3, '0').replace(/0+$/, '')}`,
      'm0.001',
    ]);
  });

  it('keys dates as before, float16 as the double it holds, fixed-size binary as x and its bytes', () => {
    expect(keysOf('d32', 2)).toEqual(['t19723/day', 't19724/day']);
    expect(keysOf('d64', 2)).toEqual(['t1709251200000/millisecond', 't1709337600000/millisecond']);
    expect(keysOf('f16', 5)).toEqual([
      'f' + 'bfe0000000000000',
      'f' + 'bfd0000000000000',
      'i0',
      'f3fd0000000000000',
      'f3fe0000000000000',
    ]);
    expect(keysOf('fsb', 4)).toEqual([
      'x\u0000\u00ff\u0000\u0080',
      'x\u0001\u00ff\u0000\u0080',
      'x\u0002\u00ff\u0000\u0080',
      'n',
    ]);
  });
});

describe('columns no strategy can read are refused from the schema', () => {
  const interval = { column: 'iv', type: 'Interval<MONTH_DAY_NANO>' };

  it.each([
    ['stratified', { strategy: 'stratified', stratifyBy: 'iv', seed: 1, ratios }],
    ['group', { strategy: 'group', groupBy: 'iv', seed: 1, ratios }],
    ['hash', { strategy: 'hash', key: 'iv', seed: 1, ratios }],
    ['time', { strategy: 'time', orderBy: 'iv', ratios }],
  ] as const)(
    'refuses an interval column for %s with SPEC.UNSUPPORTED_COLUMN_TYPE naming it',
    async (_s, spec) => {
      const { code, details } = await refusal(spec);
      expect(code).toBe('SPEC.UNSUPPORTED_COLUMN_TYPE');
      expect(details).toMatchObject(interval);
    },
  );

  it.each(['fsb', 'd32'])(
    'refuses a time split ordered by a column it cannot order, unless it is a date (%s)',
    async (c) => {
      const spec = { strategy: 'time', orderBy: c, ratios } as const;
      if (c === 'd32') {
        await expect(outcomeOf(spec)).resolves.toBeDefined();
      } else {
        expect(await refusal(spec)).toMatchObject({
          code: 'SPEC.UNSUPPORTED_COLUMN_TYPE',
          details: { column: 'fsb' },
        });
      }
    },
  );

  it('refuses an Arrow file before decoding a value: a one-byte decode budget is never reached', async () => {
    const spec = { strategy: 'hash', key: 'iv', seed: 1, ratios } as const;
    expect((await refusal(spec, source, 1)).code).toBe('SPEC.UNSUPPORTED_COLUMN_TYPE');
    expect((await refusal({ strategy: 'hash', key: 'id', seed: 1, ratios }, source, 1)).code).toBe(
      'DATASET.TOO_LARGE_DECODED',
    );
  });

  it('refuses an Arrow stream before decoding a value', async () => {
    const stream = new Uint8Array(readFileSync(join(inputs, 'scalar-keys.arrows')));
    const spec = { strategy: 'time', orderBy: 'fsb', ratios } as const;
    expect((await refusal(spec, stream, 1)).code).toBe('SPEC.UNSUPPORTED_COLUMN_TYPE');
  });

  it('refuses a Parquet file before decoding a value, and an unknown column the same way', async () => {
    const parquet = new Uint8Array(readFileSync(join(inputs, 'scalar-keys.parquet')));
    const bool = await refusal({ strategy: 'time', orderBy: 'flag', ratios }, parquet, 1);
    expect(bool).toMatchObject({
      code: 'SPEC.UNSUPPORTED_COLUMN_TYPE',
      details: { column: 'flag', type: 'Bool' },
    });
    const missing = await refusal({ strategy: 'group', groupBy: 'nope', seed: 1, ratios }, parquet, 1);
    expect(missing.code).toBe('SPEC.UNKNOWN_COLUMN');
    expect((await refusal({ strategy: 'time', orderBy: 'id', ratios }, parquet, 1)).code).toBe(
      'DATASET.TOO_LARGE_DECODED',
    );
  });
});
