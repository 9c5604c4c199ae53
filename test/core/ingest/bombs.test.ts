import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../../functions/core/errors.js';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import {
  arrowFile,
  arrowOffsetBomb,
  deepJsonLine,
  parquetDictionaryBomb,
  sparseJsonLines,
} from '../../fixtures/bombs.js';
import { parquetWithRowGroups } from '../../fixtures/parquet-thrift.js';

const MiB = 2 ** 20;
const spec = (format: SplitSpec['format']): SplitSpec =>
  ({ strategy: 'random', seed: 3, ratios: { train: 0.8, validation: 0.1, test: 0.1 }, format }) as SplitSpec;
const ref = (bytes: Uint8Array) => ({ sha256: '0'.repeat(64), bytes: bytes.byteLength });
const split = (bytes: Uint8Array, format: SplitSpec['format'], maxDecodedBytes?: number) =>
  splitDataset(bytes, ref(bytes), spec(format), { maxDecodedBytes });

describe('decompression and amplification bombs', () => {
  it('refuses a Parquet file whose one dictionary value decodes past the budget, naming the limit', async () => {
    const bytes = await parquetDictionaryBomb(40_000);
    expect(bytes.byteLength).toBeLessThan(4096);
    await expect(split(bytes, 'parquet', 32 * MiB)).rejects.toMatchObject({
      kind: 'too-large',
      code: 'DATASET.TOO_LARGE_DECODED',
      message: expect.stringContaining(`${32 * MiB}-byte budget`),
      details: { limit: 32 * MiB },
    });
  });

  it('splits the dictionary file to the same manifest under a budget that holds it as without one', async () => {
    const bytes = await parquetDictionaryBomb(20_000, 500);
    const bounded = await split(bytes, 'parquet', 24 * MiB);
    const unbounded = await split(bytes, 'parquet');
    expect(bounded.manifest.id).toBe(unbounded.manifest.id);
    expect(bounded.manifest.dataset.rows).toBe(20_000);
  });

  it('refuses a Parquet file whose footer sizes its fixed-width columns past the budget', async () => {
    const { Table, writeParquet } = await import('parquet-wasm');
    const table = tableFromArrays({ id: BigInt64Array.from({ length: 100_000 }, (_, i) => BigInt(i)) });
    const bytes = writeParquet(Table.fromIPCStream(tableToIPC(table, 'stream')));
    await expect(split(bytes, 'parquet', 500_000)).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
      details: { bytes: 800_000, limit: 500_000 },
    });
  });

  it('refuses sparse JSON Lines whose rows × columns pass the cell budget before building the table', async () => {
    const bytes = sparseJsonLines(3000, 1000);
    await expect(split(bytes, 'jsonl', 32 * MiB)).rejects.toMatchObject({
      kind: 'too-large',
      code: 'DATASET.TOO_MANY_CELLS',
      details: { limit: (32 * MiB) / 16 },
    });
    expect((await split(bytes, 'jsonl', 64 * MiB)).manifest.dataset.rows).toBe(3000);
  });

  it('refuses a CSV with more cells than the budget allows', async () => {
    const text = `a,b\n${'1,2\n'.repeat(60)}`;
    await expect(split(new TextEncoder().encode(text), 'csv', 100 * 16)).rejects.toMatchObject({
      code: 'DATASET.TOO_MANY_CELLS',
      details: { rows: 60, columns: 2, limit: 100 },
    });
  });

  it('refuses an Arrow file whose last utf8 offset points past its data buffer', async () => {
    const bytes = arrowOffsetBomb(0x7fff0000);
    expect(bytes.byteLength).toBeLessThan(1024);
    await expect(split(bytes, 'arrow')).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('points past its'),
    });
  });

  it('refuses an Arrow file whose offsets go backwards', async () => {
    await expect(split(arrowOffsetBomb(3), 'arrow')).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('goes backwards'),
    });
  });

  it('refuses an Arrow file past the budget from its buffer lengths', async () => {
    const bytes = arrowFile(1000);
    await expect(split(bytes, 'arrow', 1000)).rejects.toMatchObject({ code: 'DATASET.TOO_LARGE_DECODED' });
    expect((await split(bytes, 'arrow', MiB)).manifest.dataset.rows).toBe(1000);
  });

  it.each([
    ['file', 'arrow', () => arrowFile(8)],
    ['stream', 'arrow-stream', () => tableToIPC(tableFromIPC(arrowFile(8)), 'stream')],
  ] as const)(
    'answers every single-byte corruption of an Arrow %s with a coded error or a split within its bytes',
    async (_name, format, make) => {
      const good = make();
      const outcomes = new Map<string, number>();
      for (let at = 0; at < good.length; at++) {
        for (const flip of [0xff, 0x80, 0x01]) {
          const bytes = good.slice();
          bytes[at]! ^= flip;
          const outcome = await split(bytes, format, MiB).then(
            (o) => {
              const written = Object.values(o.artifacts).reduce((sum, a) => sum + a.byteLength, 0);
              expect(written).toBeLessThan(16 * good.length);
              return 'split';
            },
            (error: unknown) => {
              expect(error).toBeInstanceOf(SplitvaultError);
              expect((error as SplitvaultError).kind).not.toBe('integrity');
              return (error as SplitvaultError).code;
            },
          );
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
      }
      expect(outcomes.get('ARROW.CORRUPT')).toBeGreaterThan(0);
    },
  );

  it('refuses an Arrow file whose metadata claims more buffers than its message holds, before decoding it', async () => {
    const bytes = arrowFile(8);
    // The record batch's buffer count: 5 buffers (id validity and values, label validity,
    // offsets and data) as a flatbuffer vector length, the only int32 5 followed by 16-byte
    // buffer regions starting at offset 0.
    const view = new DataView(bytes.buffer);
    let at = -1;
    for (let p = 8; p + 12 <= bytes.length && at < 0; p += 4) {
      if (view.getInt32(p, true) === 5 && view.getBigInt64(p + 4, true) === 0n) at = p;
    }
    expect(at).toBeGreaterThan(0);
    view.setInt32(at, 0xffffff, true);
    await expect(split(bytes, 'arrow')).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('claims 16777215 entries'),
    });
  });

  it('refuses a Parquet file with more row groups than the reader numbers with its own limit code', async () => {
    await expect(split(parquetWithRowGroups(32_769), 'parquet')).rejects.toMatchObject({
      kind: 'too-large',
      code: 'PARQUET.TOO_MANY_ROW_GROUPS',
      details: { rowGroups: 32_769, limit: 32_768 },
    });
    expect((await ingestColumns(parquetWithRowGroups(32_768), { format: 'parquet' })).rows).toBe(32_768);
  });

  it('refuses a JSON Lines line nested 100,000 deep with a 422 code, without recursing', async () => {
    await expect(split(deepJsonLine(100_000), 'jsonl')).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'JSONL.TOO_DEEP',
      details: { line: 1, column: 'a', limit: 64 },
    });
    const arrays = new TextEncoder().encode(`${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    await expect(split(arrays, 'jsonl')).rejects.toMatchObject({ code: 'JSONL.NOT_OBJECT' });
  });
});
