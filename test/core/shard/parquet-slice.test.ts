import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { readFooterLayout } from '../../../functions/core/ingest/parquet-footer.js';
import { sliceParquet } from '../../../functions/core/ingest/parquet-slice.js';
import { parquetShardFile } from '../../../functions/core/shard/parquet-shard.js';
import { planShards, scanShard } from '../../../functions/core/shard/shard-ingest.js';
import {
  editFooter,
  type FooterEdit,
  type FooterPath,
  metadataOf,
  withFooter,
} from './support/footer-edit.js';
import { SLICE_VARIANTS, sliceFilesSuite } from './support/slice-files.js';
import { expectSameAsWhole, memorySource } from './support.js';

const here = import.meta.dirname;
const python = join(here, '../../../.tools/venv/bin/python');
const slices = sliceFilesSuite();
const file = (name: string) => slices.file(name);

const VARIANTS = [...SLICE_VARIANTS, 'flat.parquet'];

/** Per row group, the compressed bytes of its column chunks. */
function groupChunkBytes(bytes: Uint8Array): number[] {
  return readFooterLayout(metadataOf(bytes)).chunks.map((places) =>
    places.reduce((sum, p) => sum + p.compressedSize, 0),
  );
}

describe('a Parquet shard read as its own row groups', () => {
  it.each(VARIANTS)('gives the whole file’s columns at every shard size: %s', async (name) => {
    for (const targetShardBytes of [1, 5_000, 2 ** 30]) {
      await expectSameAsWhole([file(name)], { targetShardBytes });
    }
  });

  it.each(VARIANTS)('reads only its column chunks and the footer, never the whole file: %s', async (name) => {
    const bytes = file(name);
    const footer = metadataOf(bytes).length;
    const chunks = groupChunkBytes(bytes);
    const plan = await planShards(memorySource([bytes]), { targetShardBytes: 1 });
    expect(plan.shards.length).toBe(chunks.length);
    for (const shard of plan.shards) {
      const source = memorySource([bytes]);
      await scanShard(source, plan, shard.index);
      const read = source.ranges.reduce((sum, [, start, end]) => sum + end - start, 0);
      // The two magics, the footer's length, the footer and the group's chunks.
      expect(read).toBeLessThanOrEqual(chunks[shard.index]! + footer + 12);
    }
  });

  it('reads a 20-row-group file’s one-group shard as that group’s chunks and the footer, a small share of the file', async () => {
    const bytes = file('twenty.parquet');
    const chunks = groupChunkBytes(bytes);
    expect(chunks.length).toBe(20);
    const source = memorySource([bytes]);
    const plan = await planShards(source, { targetShardBytes: 1 });
    source.ranges.length = 0;
    await scanShard(source, plan, 7);
    const read = source.ranges.reduce((sum, [, start, end]) => sum + end - start, 0);
    expect(read).toBeLessThanOrEqual(chunks[7]! + metadataOf(bytes).length + 64);
    expect(read).toBeLessThan(bytes.length / 10);
  });

  it('makes slices that pyarrow reads as the row groups they were cut from, with their row count', async () => {
    const out = mkdtempSync(join(tmpdir(), 'shard-slice-out-'));
    try {
      for (const name of VARIANTS) {
        const bytes = file(name);
        const groups = groupChunkBytes(bytes).length;
        const source = memorySource([bytes]);
        for (const [from, to] of [
          [0, 1],
          [1, 3],
          [groups - 1, groups],
        ] as const) {
          const slice = await parquetShardFile(source, 0, from, to);
          expect(slice, `${name} [${from}, ${to})`).toBeDefined();
          writeFileSync(join(out, `${name}~${from}~${to}`), slice!);
        }
      }
      const check = [
        'import pathlib, sys, pyarrow.parquet as pq',
        'for s in sorted(pathlib.Path(sys.argv[1]).iterdir()):',
        "    name, a, b = s.name.split('~')",
        '    whole = pq.ParquetFile(pathlib.Path(sys.argv[2]) / name).read_row_groups(range(int(a), int(b)))',
        '    part = pq.ParquetFile(s)',
        '    assert part.metadata.num_rows == whole.num_rows, s.name',
        '    assert part.read().equals(whole), s.name',
        'print(len(list(pathlib.Path(sys.argv[1]).iterdir())))',
      ].join('\n');
      const checked = execFileSync(python, ['-c', check, out, slices.dir], { encoding: 'utf8' });
      expect(Number(checked)).toBe(readdirSync(out).length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('re-encodes a footer it leaves unchanged to the same bytes (the test’s footer editor)', () => {
    for (const name of VARIANTS) {
      const bytes = file(name);
      expect(Buffer.from(editFooter(bytes, {})).equals(Buffer.from(bytes)), name).toBe(true);
    }
  });
});

describe('slicing a Parquet footer', () => {
  /** Row groups [from, to) of `bytes`, sliced from its footer after `edit`. */
  const slice = (bytes: Uint8Array, from: number, to: number, edit: FooterEdit = {}) => {
    const dataEnd = bytes.length - 8 - metadataOf(bytes).length;
    return sliceParquet(metadataOf(editFooter(bytes, edit)), { from, to }, dataEnd);
  };

  it('refuses chunks past the data, overlapping chunks and row groups the file lacks', () => {
    const bytes = file('flat.parquet');
    const layout = readFooterLayout(metadataOf(bytes));
    expect(() => slice(bytes, 0, 1)).not.toThrow();
    expect(() => slice(bytes, 3, layout.groupRows.length + 1)).toThrow(/can't be sliced/);
    const longer = { int: (p: FooterPath, v: number) => (isChunkField(p, 0, 2, 7) ? v + 50_000 : v) };
    expect(() => slice(bytes, 0, 1, longer)).toThrow(/outside the data/);
    const onto = layout.chunks[0]![1]!.dataPageOffset;
    const overlap = { int: (p: FooterPath, v: number) => (isChunkField(p, 0, 2, 9) ? onto : v) };
    expect(() => slice(bytes, 0, 1, overlap)).toThrow(/overlapping/);
  });
});

const wholeRows = async (bytes: Uint8Array) => (await ingestColumns(bytes, {})).rows;

/** A file whose footer lies, read sharded at one row group a shard and at one shard. */
async function expectHostile(bytes: Uint8Array): Promise<void> {
  for (const targetShardBytes of [1, 2 ** 30]) await expectSameAsWhole([bytes], { targetShardBytes });
}

const isChunkField = (path: readonly number[], g: number, c: number, field: number) =>
  path.length === 6 &&
  path[0] === 4 &&
  path[1] === g &&
  path[2] === 1 &&
  path[3] === c &&
  path[4] === 3 &&
  path[5] === field;

describe.each(['snappy-dict-index-stats.parquet', 'flat.parquet', 'int96-v2-bloom.parquet'])(
  'a Parquet shard of %s with a lying footer',
  (name) => {
    it('refuses a column chunk past the end of the file as whole-file ingest does', async () => {
      const bytes = file(name);
      await expectHostile(
        editFooter(bytes, { int: (p, v) => (isChunkField(p, 2, 0, 9) ? v + bytes.length : v) }),
      );
      await expectHostile(
        editFooter(bytes, { int: (p, v) => (isChunkField(p, 3, 1, 7) ? v + bytes.length : v) }),
      );
    });

    it('gives whole-file ingest’s outcome for overlapping column chunks', async () => {
      const bytes = file(name);
      const layout = readFooterLayout(metadataOf(bytes));
      const first = layout.chunks[1]![0]!;
      await expectHostile(
        editFooter(bytes, {
          int: (p, v) =>
            isChunkField(p, 1, 1, 9) ? first.dataPageOffset : isChunkField(p, 1, 1, 11) ? -1 : v,
        }),
      );
    });

    it('gives whole-file ingest’s outcome for a row group count that lies', async () => {
      const bytes = file(name);
      for (const delta of [3, -1]) {
        await expectHostile(
          editFooter(bytes, { count: (p, n) => (p.length === 1 && p[0] === 4 ? n + delta : n) }),
        );
      }
    });

    it('gives whole-file ingest’s outcome for row counts that lie', async () => {
      const bytes = file(name);
      await expectHostile(editFooter(bytes, { int: (p, v) => (p.length === 1 && p[0] === 3 ? 5 : v) }));
      await expectHostile(
        editFooter(bytes, {
          int: (p, v) => (p.length === 3 && p[0] === 4 && p[1] === 2 && p[2] === 3 ? v + 7 : v),
        }),
      );
    });

    it('reads past page index and Bloom filter offsets that point outside the file, as whole-file ingest does', async () => {
      const bytes = file(name);
      const far = (p: FooterPath, v: number, path: readonly number[]) =>
        p.length === path.length && path.every((id, i) => id < 0 || p[i] === id) ? v + 10 ** 9 : v;
      for (const field of [4, 6]) {
        const edited = editFooter(bytes, { int: (p, v) => far(p, v, [4, -1, 1, -1, field]) });
        await expectHostile(edited);
        expect(await wholeRows(edited)).toBe(await wholeRows(bytes));
      }
      await expectHostile(editFooter(bytes, { int: (p, v) => far(p, v, [4, -1, 1, -1, 3, 14]) }));
    });

    it('refuses a truncated footer as whole-file ingest does', async () => {
      const bytes = file(name);
      const metadata = metadataOf(bytes);
      const data = bytes.subarray(0, bytes.length - 8 - metadata.length);
      for (const keep of [0.9, 0.5, 0.1])
        await expectHostile(withFooter(data, metadata.subarray(0, Math.floor(metadata.length * keep))));
    });
  },
);
