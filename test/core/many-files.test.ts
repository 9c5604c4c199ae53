import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetAddress, fileListDescription } from '../../functions/core/dataset-files.js';
import { DatasetError } from '../../functions/core/errors.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { type SplitOutcome, splitDataset, splitFiles } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SplitSpec } from '../../schemas/spec.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(join(here, '../fixtures/many-files', name)));
const text = (value: string) => new TextEncoder().encode(value);

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
/** Every strategy, on columns every fixture below has (label and color have nulls or dictionaries). */
const SPECS = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'random', seed: 7, ratios, shuffle: true },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'color', shuffle: true },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
  { strategy: 'hash', seed: 9, ratios, key: 'color' },
  { strategy: 'time', seed: 0, ratios, orderBy: 'at' },
  { strategy: 'time', seed: 1, ratios, orderBy: 'at', shuffle: true },
].map((spec) => SplitSpec.parse(spec));

function oneFile(bytes: Uint8Array, spec: SplitSpec): Promise<SplitOutcome> {
  return splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.length }, spec);
}

function manyFiles(parts: Uint8Array[], spec: SplitSpec): Promise<SplitOutcome> {
  const files = parts.map((part) => ({ sha256: sha256Hex(part), bytes: part.length }));
  const bytes = parts.reduce((sum, part) => sum + part.length, 0);
  return splitFiles(parts, { sha256: datasetAddress(files), bytes, files }, spec);
}

async function expectSameSplits(whole: Uint8Array, parts: Uint8Array[]): Promise<void> {
  for (const spec of SPECS) {
    const one = await oneFile(whole, spec);
    const many = await manyFiles(parts, spec);
    for (const name of SPLIT_NAMES) {
      expect(sha256Hex(many.artifacts[name]), `${spec.strategy} ${name}`).toBe(
        sha256Hex(one.artifacts[name]),
      );
    }
    expect(many.manifest.splits).toEqual(one.manifest.splits);
    expect(many.manifest.dataset.schema).toEqual(one.manifest.dataset.schema);
    expect(many.manifest.dataset.rows).toBe(one.manifest.dataset.rows);
  }
}

/** 240 rows as CSV lines (no header) with the columns the Parquet fixtures have. */
function csvRows(): string[] {
  const colors = ['red', 'green', 'blue', 'teal', 'plum'];
  return Array.from({ length: 240 }, (_, i) => {
    const label = i % 17 === 0 ? '' : ['cat', 'dog', 'eel'][i % 3];
    const score = i % 11 === 0 ? '' : String((i * 0.37) % 5);
    const at = new Date(Date.UTC(2024, 0, 1) + ((i * 13) % 500) * 3_600_000).toISOString();
    // The first parts hold only whole numbers in `score`'s place of `id`; typing must see all parts.
    const id = i < 200 ? String(i) : `${i}.5`;
    return `${id},u${(i * 7) % 31},${label},${colors[i % 5]},${score},${at}`;
  });
}

function cut<T>(items: T[], cuts: number[]): T[][] {
  return cuts.slice(0, -1).map((from, k) => items.slice(from, cuts[k + 1]));
}

describe('a many-file dataset', () => {
  it('of 4 Parquet files gives the split files of the same rows as one file, for every strategy', async () => {
    const parts = [0, 1, 2, 3].map((k) => fixture(`part-${k}.parquet`));
    await expectSameSplits(fixture('whole.parquet'), parts);
  });

  it('of 4 Parquet files with nulls in a float column gives the split files of the one file', async () => {
    const parts = [0, 1, 2, 3].map((k) => fixture(`flat-part-${k}.parquet`));
    await expectSameSplits(fixture('flat-whole.parquet'), parts);
  });

  it('of CSV parts gives the split files and column types of the whole CSV, for every strategy', async () => {
    const header = 'id,user,label,color,score,at';
    const lines = csvRows();
    const whole = text(`${header}\n${lines.join('\n')}\n`);
    // Uneven parts; one ends without a line break and one with CRLF, as real exports do.
    const pieces = cut(lines, [0, 50, 51, 199, 240]);
    const parts = pieces.map((rows, k) =>
      text(
        k === 1
          ? `${header}\r\n${rows.join('\r\n')}\r\n`
          : `${header}\n${rows.join('\n')}${k === 2 ? '' : '\n'}`,
      ),
    );
    await expectSameSplits(whole, parts);
    const many = await manyFiles(parts, SPECS[0]!);
    // `id` is int64 in the first three parts alone; the fourth part makes the whole float64.
    expect(many.manifest.dataset.schema.find((field) => field.name === 'id')?.type).toBe('Float64');
  });

  it('of JSON Lines parts gives the split files of the whole JSON Lines file, for every strategy', async () => {
    const objects = csvRows().map((line) => {
      const [id, user, label, color, score, at] = line.split(',');
      return JSON.stringify({
        id: Number(id),
        user,
        ...(label ? { label } : {}),
        color,
        score: score ? Number(score) : null,
        at,
      });
    });
    const whole = text(`${objects.join('\n')}\n`);
    const parts = cut(objects, [0, 10, 100, 230, 240]).map((rows, k) =>
      text(rows.join('\n') + (k === 3 ? '\n' : '')),
    );
    await expectSameSplits(whole, parts);
  });

  it('of JSON array parts gives the split files of one JSON array of the same objects', async () => {
    const objects = Array.from({ length: 60 }, (_, i) => JSON.stringify({ id: i, g: `g${i % 7}` }));
    const whole = text(`[${objects.join(',')}]`);
    const parts = [
      text(`[${objects.slice(0, 25).join(',')}]\n`),
      text(' [ ] '),
      text(`[${objects.slice(25).join(',\n')}]`),
    ];
    for (const spec of [SPECS[0]!, SplitSpec.parse({ strategy: 'group', seed: 2, ratios, groupBy: 'g' })]) {
      const one = await oneFile(whole, spec);
      const many = await manyFiles(parts, spec);
      expect(many.manifest.splits).toEqual(one.manifest.splits);
    }
  });

  it('records its files in the manifest, so its manifest id differs from the one file of the same rows', async () => {
    const parts = [0, 1, 2, 3].map((k) => fixture(`part-${k}.parquet`));
    const many = await manyFiles(parts, SPECS[0]!);
    const one = await oneFile(fixture('whole.parquet'), SPECS[0]!);
    expect(many.manifest.dataset.files).toEqual(
      parts.map((part) => ({ sha256: sha256Hex(part), bytes: part.length })),
    );
    expect(one.manifest.dataset).not.toHaveProperty('files');
    expect(many.manifest.id).not.toBe(one.manifest.id);
  });

  it('refuses a Parquet file whose column type differs, naming the file and the column', async () => {
    // `color` is a dictionary in one file and plain utf8 in the other.
    const parts = [fixture('part-0.parquet'), fixture('flat-part-1.parquet')];
    const error = await manyFiles(parts, SPECS[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ code: 'DATASET.SCHEMA_MISMATCH', details: { file: 1, column: 'color' } });
  });

  it('refuses CSV parts whose headers differ, naming the file and the first column that differs', async () => {
    const error = await manyFiles([text('a,b\n1,2\n'), text('a,c\n3,4\n')], SPECS[0]!).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'DATASET.SCHEMA_MISMATCH', details: { file: 1, column: 'b' } });
  });

  it('refuses files of two formats with DATASET.FORMAT_MISMATCH naming the file', async () => {
    const error = await manyFiles([text('a,b\n1,2\n'), fixture('part-0.parquet')], SPECS[0]!).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'DATASET.FORMAT_MISMATCH',
      details: { file: 1, expected: 'csv', actual: 'parquet' },
    });
  });

  it("names the file in a part's own dataset error", async () => {
    const error = await manyFiles([text('a,b\n1,2\n'), text('a,b\n"3,4\n')], SPECS[0]!).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CSV.UNTERMINATED_QUOTE', details: { file: 1 } });
  });
});

describe('the decode budget of a many-file dataset', () => {
  const spec = SPECS[0]!;
  const split = (parts: Uint8Array[], maxDecodedBytes: number) => {
    const files = parts.map((part) => ({ sha256: sha256Hex(part), bytes: part.length }));
    const bytes = parts.reduce((sum, part) => sum + part.length, 0);
    return splitFiles(parts, { sha256: datasetAddress(files), bytes, files }, spec, { maxDecodedBytes });
  };

  it('is one budget over every Parquet file: each fits alone, all four together do not', async () => {
    const parts = [0, 1, 2, 3].map((k) => fixture(`flat-part-${k}.parquet`));
    for (const part of parts) {
      await expect(ingestColumns(part, { maxDecodedBytes: 8000 })).resolves.toBeDefined();
    }
    await expect(split(parts, 8000)).rejects.toMatchObject({ code: 'DATASET.TOO_LARGE_DECODED' });
  });

  it('counts the cells of every CSV part together', async () => {
    const rows = (from: number) => Array.from({ length: 40 }, (_, i) => `${from + i},x,${i}`).join('\n');
    const parts = [text(`a,b,c\n${rows(0)}\n`), text(`a,b,c\n${rows(40)}\n`)];
    // 16 bytes a cell: room for 200 cells, so 120 in each part but not 240 in both.
    for (const part of parts)
      await expect(ingestColumns(part, { maxDecodedBytes: 3200 })).resolves.toBeDefined();
    await expect(split(parts, 3200)).rejects.toMatchObject({ code: 'DATASET.TOO_MANY_CELLS' });
  });
});

describe('a file list address', () => {
  it('is the SHA-256 of 0xFF and the RFC 8785 JSON of the typed file list, as SPLIT-SPEC §7.1 states', () => {
    const files = [
      { sha256: 'a'.repeat(64), bytes: 10 },
      { sha256: 'b'.repeat(64), bytes: 2 },
    ];
    const description = fileListDescription(files);
    expect(description[0]).toBe(0xff);
    expect(new TextDecoder().decode(description.subarray(1))).toBe(
      `{"files":[{"bytes":10,"sha256":"${'a'.repeat(64)}"},{"bytes":2,"sha256":"${'b'.repeat(64)}"}],"type":"splitvault.dataset-files.v1"}`,
    );
    expect(datasetAddress(files)).toBe('f5e73ff3acf05d4cfd887e207211f313dc76a591fffafdfee32ad5f49f94457f');
  });

  it('has a description that no format ingest reads accepts, so no freezable file shares its address', async () => {
    const description = fileListDescription([
      { sha256: 'a'.repeat(64), bytes: 10 },
      { sha256: 'b'.repeat(64), bytes: 2 },
    ]);
    for (const format of [undefined, 'csv', 'jsonl', 'json', 'parquet', 'arrow', 'arrow-stream'] as const) {
      await expect(
        ingestColumns(description, format ? { format } : {}),
        String(format),
      ).rejects.toBeInstanceOf(DatasetError);
    }
  });

  it("depends on the order of the files, and a one-file list is that file's own address", () => {
    const a = { sha256: 'a'.repeat(64), bytes: 1 };
    const b = { sha256: 'b'.repeat(64), bytes: 1 };
    expect(datasetAddress([a, b])).not.toBe(datasetAddress([b, a]));
    expect(datasetAddress([a])).toBe(a.sha256);
  });
});
