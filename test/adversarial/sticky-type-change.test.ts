import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import { type ApiHarness, embeddedHarness } from '../api/support/harness.js';

/**
 * §8.5 promises that in a sticky re-freeze "no row moves between splits, so a row that was test
 * data in the parent never becomes training data". With `stickyBy` a key column, one new row
 * whose key is not a number turns the column's inferred type from Int64 to Utf8, so every key
 * encodes as `s…` instead of `i…`: no parent row matches, every former test row is "added" and
 * split afresh, and the freeze would succeed as if the parent had held nothing. §8.5 refuses it.
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
    // Int64 keys `i5`, Utf8 keys `s5`: no parent row could match, so §8.5 refuses the freeze.
    expect(child.status).toBe(422);
    expect(child.json.code).toBe('STICKY.TYPE_CHANGED');
    expect(child.json.detail).toContain('column "id" is Int64 in the sticky parent but Utf8');
  });

  it('keeps every parent row in its split when the key column changes to a type that keys alike', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},kept row ${i}`);
    const before = dataset(rows);
    // One late id with a fraction makes the column Float64; integer-valued floats key as `i`.
    const after = dataset([...rows, '60.5,row late']);
    await uploadDataset(h, before);
    await uploadDataset(h, after);
    const parent = await freezeSplit(h, before.sha256, { ...spec, seed: 10 });
    const child = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: after.sha256, spec: { ...spec, seed: 10 }, stickyTo: parent, stickyBy: 'id' },
    });
    expect(child.status).toBe(201);
    const sticky = child.json.manifest.sticky;
    const parentSplits = (await call(h, 'GET', `/v1/splits/${parent}`)).json.manifest.splits;
    expect(sticky.kept).toEqual({
      train: parentSplits.train.rows,
      validation: parentSplits.validation.rows,
      test: parentSplits.test.rows,
    });
    expect(sticky.removed).toEqual({ train: 0, validation: 0, test: 0 });
  });
});

describe('a whole-row sticky re-freeze of a dataset whose columns changed', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await embeddedHarness();
  });
  afterAll(async () => h?.close());

  it('is refused, naming stickyBy, rather than splitting every parent row afresh', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${i},row ${i}`);
    const before = dataset(lines);
    const bytes = new TextEncoder().encode(`id,text,extra\n${lines.map((l) => `${l},x`).join('\n')}\n`);
    const after = { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rows: 40 };
    await uploadDataset(h, before);
    await uploadDataset(h, after);
    const parent = await freezeSplit(h, before.sha256, spec);
    const child = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: after.sha256, spec, stickyTo: parent },
    });
    expect(child.status).toBe(422);
    expect(child.json.code).toBe('STICKY.COLUMNS_CHANGED');
    expect(child.json.detail).toContain('stickyBy');
  });
});
