import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import { sha256Of } from '../api/support/dataset.js';
import { type ApiHarness, embeddedHarness } from '../api/support/harness.js';

/**
 * Issue 14's acceptance: the table an ML team already has (id, text, token ids, a 768-float
 * embedding, a categorical label, image bytes) as their tools write it, frozen with every
 * strategy through the API, and each split read back by pyarrow equal to its source rows.
 * ml_table.py writes the files and checks the splits; it needs nothing from splitvault.
 */
const here = import.meta.dirname;
const python = join(here, '../../.tools/venv/bin/python');
const script = join(here, 'ml_table.py');

const SOURCES = [
  { file: 'ml.parquet', format: 'parquet' },
  { file: 'ml-pandas.feather', format: 'arrow' },
  { file: 'ml-polars.arrow', format: 'arrow' },
  { file: 'ml.jsonl', format: 'jsonl' },
] as const;

const RATIOS = { train: 0.7, validation: 0.15, test: 0.15 };
const SPECS = {
  random: { strategy: 'random', seed: 14, ratios: RATIOS },
  stratified: { strategy: 'stratified', stratifyBy: 'label', seed: 14, ratios: RATIOS },
  group: { strategy: 'group', groupBy: 'user', seed: 14, ratios: RATIOS },
  hash: { strategy: 'hash', key: 'id', seed: 14, ratios: RATIOS },
  time: { strategy: 'time', orderBy: 'created', ratios: RATIOS },
} as const;

describe('a Hugging Face-style ML table', () => {
  let h: ApiHarness;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'splitvault-ml-'));
    execFileSync(python, [script, 'make', work], { encoding: 'utf8' });
    h = await embeddedHarness();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('freezes as Parquet, pandas Feather, polars IPC and JSON Lines with every strategy, and pyarrow reads each split back equal to its source rows', async () => {
    const runs: object[] = [];
    for (const source of SOURCES) {
      const bytes = new Uint8Array(readFileSync(join(work, source.file)));
      const dataset = { bytes, sha256: sha256Of(bytes), rows: 240 };
      await uploadDataset(h, dataset);
      for (const [name, spec] of Object.entries(SPECS)) {
        const id = await freezeSplit(h, dataset.sha256, { ...spec, format: source.format });
        const splits: Record<string, string> = {};
        let rows = 0;
        for (const split of ['train', 'validation', 'test']) {
          const info = await call(h, 'GET', `/v1/splits/${id}/${split}`, {
            headers: { accept: 'application/json' },
          });
          const file = new Uint8Array(await (await h.fetchPresigned(info.json.url)).arrayBuffer());
          expect(sha256Of(file)).toBe(info.json.sha256);
          rows += info.json.rows;
          splits[split] = join(work, `${source.file}.${name}.${split}.arrow`);
          writeFileSync(splits[split], file);
        }
        expect(rows).toBe(240);
        runs.push({
          name: `${source.file} ${name}`,
          format: source.format,
          source: join(work, source.file),
          splits,
        });
      }
    }
    const index = join(work, 'run.json');
    writeFileSync(index, JSON.stringify(runs));
    const out = execFileSync(python, [script, 'check', index], { encoding: 'utf8' });
    expect(out).toContain(`checked ${SOURCES.length * Object.keys(SPECS).length * 3} splits`);
  });
});
