import { type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import type { DatasetFormat, SplitSpec } from '../../../schemas/spec.js';
import { arrowInput, batchPlaces } from '../../fixtures/arrow-patch.js';
import { columnValues } from './table-values.js';

/** Written by test/fixtures/ingest/arrow-inputs/make.py from these values. */
const FLAT = {
  id: [1n, 2n, 3n, 4n, 5n],
  label: ['a', 'a string longer than twelve bytes', null, 'ünïcode', ''],
  score: [0.5, null, -1.25, 1e300, 3],
};

const fixture = arrowInput;

const values = (table: Table, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, columnValues(table, name)]));
const types = (table: Table) => table.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`);

const spec = (format: DatasetFormat): SplitSpec =>
  ({ strategy: 'random', seed: 3, ratios: { train: 0.6, validation: 0.2, test: 0.2 }, format }) as SplitSpec;
const ref = { sha256: '0'.repeat(64), bytes: 1 };

describe('compressed Arrow IPC', () => {
  it.each([
    ['flat-pandas.feather', 'arrow', 'LargeUtf8'],
    ['flat-zstd.feather', 'arrow', 'Utf8'],
    ['flat-lz4.arrows', 'arrow-stream', 'Utf8'],
    ['flat-zstd.arrows', 'arrow-stream', 'Utf8'],
    ['flat-polars-zstd.arrow', 'arrow', 'LargeUtf8'],
  ] as const)('reads %s (%s) with its values and schema metadata intact', async (name, format, label) => {
    const { table, format: sniffed } = await ingest(fixture(name));
    expect(sniffed).toBe(format);
    expect(types(table)).toEqual(['id:Int64:true', `label:${label}:true`, 'score:Float64:true']);
    expect(values(table, ['id', 'label', 'score'])).toEqual(FLAT);
  });

  it('keeps the schema metadata pandas writes into its default LZ4 Feather file', async () => {
    const { table } = await ingest(fixture('flat-pandas.feather'));
    expect(JSON.parse(table.schema.metadata.get('pandas') ?? '{}')).toMatchObject({
      creator: { library: 'pyarrow' },
    });
  });

  it.each(['long-lz4.arrow', 'long-zstd.arrow'])(
    'reads %s, whose buffers span several LZ4 blocks or zstd blocks, row for row',
    async (name) => {
      const { table } = await ingest(fixture(name));
      expect(table.numRows).toBe(20_000);
      const ids = columnValues(table, 'id');
      const scores = columnValues(table, 'score');
      expect(ids.every((v, i) => v === BigInt(Math.floor(i / 100)))).toBe(true);
      expect(scores.every((v, i) => v === (i % 10) / 4)).toBe(true);
    },
  );

  it('decompresses ZSTD without turning the output buffer into a string (fzstd compares it with == 1)', async () => {
    // Stringifying a buffer is O(size): 9 s, then a RangeError, for a 384 MiB column.
    const join = vi.spyOn(Uint8Array.prototype, 'join');
    try {
      const { table } = await ingest(fixture('long-zstd.arrow'));
      expect(table.numRows).toBe(20_000);
      expect(join).not.toHaveBeenCalled();
    } finally {
      join.mockRestore();
    }
  });

  it.each([
    ['flat-pandas.feather', 'arrow'],
    ['flat-zstd.arrows', 'arrow-stream'],
    ['long-lz4.arrow', 'arrow'],
    ['flat-polars.arrow', 'arrow'],
    ['binary-polars.arrow', 'arrow'],
  ] as const)(
    'splits %s to the same manifest as the same table written uncompressed and view-free',
    async (name, format) => {
      const bytes = fixture(name);
      const { table } = await ingest(bytes);
      const plain = tableToIPC(table, format === 'arrow' ? 'file' : 'stream');
      const direct = await splitDataset(bytes, ref, spec(format));
      const rewritten = await splitDataset(plain, ref, spec(format));
      expect(direct.manifest.id).toBe(rewritten.manifest.id);
      expect(direct.manifest.dataset.rows).toBe(table.numRows);
    },
  );
});

describe('Utf8View and BinaryView, as polars writes them by default', () => {
  it.each([
    ['flat-polars.arrow', 'arrow'],
    ['flat-polars.arrows', 'arrow-stream'],
  ] as const)('normalizes %s to LargeUtf8 with its values intact', async (name, format) => {
    const { table, format: sniffed } = await ingest(fixture(name));
    expect(sniffed).toBe(format);
    expect(types(table)).toEqual(['id:Int64:true', 'label:LargeUtf8:true', 'score:Float64:true']);
    expect(values(table, ['id', 'label', 'score'])).toEqual(FLAT);
  });

  it('normalizes a BinaryView column to LargeBinary with its bytes intact', async () => {
    const { table } = await ingest(fixture('binary-polars.arrow'));
    expect(types(table)).toContain('bytes:LargeBinary:true');
    const bytes = columnValues(table, 'bytes').map((v) =>
      v ? new TextDecoder().decode(v as Uint8Array) : v,
    );
    expect(bytes).toEqual(FLAT.label);
  });

  it('normalizes views inside a list and a struct, keeping field names and nullability', async () => {
    const { table } = await ingest(fixture('nested-polars.arrow'));
    expect(types(table)).toEqual([
      'id:Int64:true',
      'tags:LargeList<LargeUtf8>:true',
      's:Struct<{t:LargeUtf8}>:true',
    ]);
    expect(
      table
        .getChild('tags')!
        .toJSON()
        .map((v) => v && [...v]),
    ).toEqual([['a', 'a string longer than twelve bytes'], null, []]);
    expect(
      table
        .getChild('s')!
        .toJSON()
        .map((v) => v?.toJSON() ?? null),
    ).toEqual([{ t: 'x' }, { t: null }, null]);
    // The written-back table reads the same in apache-arrow's own reader: the normalized data is well-formed.
    expect(tableFromIPC(tableToIPC(table)).getChild('tags')!.get(0)!.toJSON()).toEqual([
      'a',
      'a string longer than twelve bytes',
    ]);
  });
});

describe('refused compressed bodies and views', () => {
  const MiB = 2 ** 20;
  /** The first record batch's buffer 3: the label column's data, compressed (or views, for polars). */
  const patched = (name: string, stream: boolean, patch: (p: ReturnType<typeof batchPlaces>) => void) => {
    const places = batchPlaces(fixture(name), stream);
    patch(places);
    return places.bytes;
  };
  const prefix = (p: ReturnType<typeof batchPlaces>, i: number) => p.buffer(i).at;

  it.each([
    ['LZ4', 'flat-lz4.arrows'],
    ['ZSTD', 'flat-zstd.arrows'],
  ])(
    'refuses a %s body that declares a 1 TiB buffer as too large, before allocating it',
    async (_codec, name) => {
      const bytes = patched(name, true, (p) => p.view.setBigInt64(prefix(p, 1), 2n ** 40n, true));
      await expect(ingest(bytes, { maxDecodedBytes: 32 * MiB })).rejects.toMatchObject({
        code: 'DATASET.TOO_LARGE_DECODED',
        details: { limit: 32 * MiB },
      });
    },
  );

  it.each([
    ['LZ4', 'flat-lz4.arrows', 'decompresses to'],
    ['ZSTD', 'flat-zstd.arrows', 'decompresses to'],
  ])(
    'refuses a %s buffer that decompresses to other than its declared length as corrupt',
    async (_c, name, why) => {
      for (const delta of [1n, -1n]) {
        const bytes = patched(name, true, (p) => {
          const at = prefix(p, 1);
          p.view.setBigInt64(at, p.view.getBigInt64(at, true) + delta, true);
        });
        await expect(ingest(bytes)).rejects.toMatchObject({
          code: 'ARROW.CORRUPT',
          message: expect.stringContaining(why),
        });
      }
    },
  );

  it.each([
    ['LZ4', 'long-lz4.arrow'],
    ['ZSTD', 'long-zstd.arrow'],
  ])('refuses a %s body whose compressed bytes are garbled or cut short as corrupt', async (_c, name) => {
    const garbled = patched(name, false, (p) => {
      const { at, length } = p.buffer(1);
      for (let i = at + 8 + 4; i < at + length; i++) p.bytes[i] = (i * 31) & 0xff;
    });
    await expect(ingest(garbled)).rejects.toMatchObject({ code: 'ARROW.CORRUPT' });
    // The buffer's length in the metadata shortened: the frame ends mid-block.
    const cut = patched(name, false, (p) => {
      p.view.setBigInt64(p.bufferLengthAt(1), BigInt(p.buffer(1).length - 40), true);
    });
    await expect(ingest(cut)).rejects.toMatchObject({ code: 'ARROW.CORRUPT' });
  });

  it('names an unknown body codec with its own code, not as corrupt data', async () => {
    const bytes = patched('flat-zstd.arrows', true, (p) => {
      p.bytes[p.codecAt()!] = 7;
    });
    await expect(ingest(bytes)).rejects.toMatchObject({
      code: 'ARROW.UNSUPPORTED_COMPRESSION',
      message: expect.stringContaining('codec 7'),
      details: { codec: 7 },
    });
  });

  it('refuses a view column whose variadic buffer count passes the batch buffers, before reading it', async () => {
    const bytes = patched('flat-polars.arrow', false, (p) =>
      p.view.setBigInt64(p.variadicCountAt(0), 100_000_000n, true),
    );
    await expect(ingest(bytes)).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('variadic buffer counts add up to 100000000'),
    });
  });

  // polars' file: buffers 0-1 id, 2-3 label (validity, views), 4+ its variadic data buffers.
  const view = (row: number) => (p: ReturnType<typeof batchPlaces>) => p.buffer(3).at + row * 16;
  it.each([
    ['a negative length', (p: ReturnType<typeof batchPlaces>) => p.view.setInt32(view(1)(p), -5, true)],
    [
      'a variadic buffer index past the last',
      (p: ReturnType<typeof batchPlaces>) => p.view.setInt32(view(1)(p) + 8, 9, true),
    ],
    [
      'an offset past its buffer',
      (p: ReturnType<typeof batchPlaces>) => p.view.setInt32(view(1)(p) + 12, 1 << 30, true),
    ],
    [
      'a length past its buffer',
      (p: ReturnType<typeof batchPlaces>) => p.view.setInt32(view(1)(p), 1 << 20, true),
    ],
    [
      'a prefix that differs from its data',
      (p: ReturnType<typeof batchPlaces>) => p.view.setUint8(view(1)(p) + 4, 0x5a),
    ],
  ])('refuses a view with %s as corrupt', async (_name, patch) => {
    await expect(ingest(patched('flat-polars.arrow', false, patch))).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('view'),
    });
  });
});
