import { createHash } from 'node:crypto';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import { type ApiHarness, embeddedHarness } from '../api/support/harness.js';

/**
 * §8.5 promises that in a sticky re-freeze "no row moves between splits, so a row that was test
 * data in the parent never becomes training data". With `stickyBy` a key column, one new row
 * whose key is not a number turns the column's inferred type from Int64 to Utf8, so every key
 * encodes as `s…` instead of `i…`: no parent row matches, every former test row is "added" and
 * split afresh, and the freeze succeeds as if the parent had held nothing.
 */

const dataset = (lines: string[]) => {
  const bytes = new TextEncoder().encode(`id,text\n${lines.join('\n')}\n`);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rows: lines.length };
};

const spec = {
  strategy: 'random',
  seed: 9,
  ratios: { train: 0.6, validation: 0.2, test: 0.2 },
  format: 'csv',
};

describe('a sticky re-freeze by a key column whose inferred type changed', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await embeddedHarness();
  });
  afterAll(async () => h?.close());

  it('never puts a row of the parent test split into the child train split', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},row ${i}`);
    const before = dataset(rows);
    // The same 60 rows, and one late row whose id is text: the column is now Utf8.
    const after = dataset([...rows, 'late-1,row late']);
    await uploadDataset(h, before);
    await uploadDataset(h, after);
    const parent = await freezeSplit(h, before.sha256, spec);
    const child = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: after.sha256, spec, stickyTo: parent, stickyBy: 'id' },
    });
    // A refusal would also keep the promise; a success must keep every parent row where it was.
    if (child.status >= 400 || child.json.job?.problem) return;
    const childManifest = (await call(h, 'GET', `/v1/splits/${child.json.manifest.id}`)).json.manifest;
    const parentManifest = (await call(h, 'GET', `/v1/splits/${parent}`)).json.manifest;
    const ids = async (sha256: string) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of await h.blobs.open('artifact', sha256)) chunks.push(chunk);
      const column = tableFromIPC(Buffer.concat(chunks)).getChild('id')!;
      return Array.from({ length: column.length }, (_, i) => String(column.get(i)));
    };
    const formerTest = await ids(parentManifest.splits.test.sha256);
    const nowTrain = new Set(await ids(childManifest.splits.train.sha256));
    expect(formerTest.filter((id) => nowTrain.has(id))).toEqual([]);
    expect(childManifest.sticky.removed).toEqual({ train: 0, validation: 0, test: 0 });
  });
});
