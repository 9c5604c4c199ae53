import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSticky } from '../../../functions/cli/commands/render-manifest.js';
import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import { edit, lcg, makeRows, type Row, splitByValue, toCsv } from '../../core/leakage/sticky-support.js';
import { call, freezeSplit, uploadDataset } from '../support/client.js';
import { sha256Of } from '../support/dataset.js';
import type { ApiHarness } from '../support/harness.js';

/** Sticky re-freezes through the HTTP API, the same on every backend. */
export function stickySuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  let h: ApiHarness;
  const ratios = { train: 0.7, validation: 0.15, test: 0.15 };

  async function upload(rows: readonly Row[]): Promise<string> {
    const bytes = toCsv(rows);
    const sha256 = sha256Of(bytes);
    await uploadDataset(h, { bytes, sha256, rows: rows.length });
    return sha256;
  }

  /** Every split file of a manifest, downloaded through the API and read back row by row. */
  async function downloadSplits(id: string): Promise<Map<string, SplitName>> {
    const files = {} as Record<SplitName, Uint8Array>;
    for (const split of SPLIT_NAMES) {
      const info = await call(h, 'GET', `/v1/splits/${id}/${split}`, {
        headers: { accept: 'application/json' },
      });
      files[split] = new Uint8Array(await (await h.fetchPresigned(info.json.url)).arrayBuffer());
    }
    const byId = await splitByValue(files);
    return new Map([...byId].map(([key, splits]) => [key, splits[0]!]));
  }

  describe(`sticky re-freeze over the API (${name})`, () => {
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => h?.close());

    it.each([
      { name: 'random', spec: { strategy: 'random', seed: 1, ratios } },
      { name: 'stratified', spec: { strategy: 'stratified', stratifyBy: 'label', seed: 2, ratios } },
      { name: 'group', spec: { strategy: 'group', groupBy: 'g', seed: 3, ratios }, by: 'g' },
      { name: 'hash', spec: { strategy: 'hash', key: 'id', seed: 4, ratios } },
    ])(
      'keeps every surviving row of a dataset grown by 20 % and shrunk by 5 % in its split ($name)',
      async ({ spec, by }) => {
        const rand = lcg(spec.seed * 13);
        const before = makeRows(500, 0, 50, rand);
        const after = edit(before, 0.2, 0.05, rand, 5);
        const parent = await freezeSplit(h, await upload(before), { ...spec, format: 'csv' });
        const answer = await call(h, 'POST', '/v1/splits?wait=50', {
          body: {
            dataset: await upload(after),
            spec: { ...spec, format: 'csv' },
            stickyTo: parent.slice(0, 12),
            ...(by ? { stickyBy: by } : {}),
          },
        });
        expect(answer.status).toBe(201);
        const child = answer.json.manifest;
        expect(child.sticky).toMatchObject({ parent, ...(by ? { by } : {}) });
        const was = await downloadSplits(parent);
        const now = await downloadSplits(child.id);
        expect(now.size).toBe(after.length);
        let survivors = 0;
        for (const row of after) {
          const old = was.get(`i${row.id}`);
          if (old === undefined) continue;
          survivors += 1;
          expect(now.get(`i${row.id}`), `row ${row.id}`).toBe(old);
        }
        expect(survivors).toBe(475);
        const kept = SPLIT_NAMES.reduce((sum, s) => sum + child.sticky.kept[s], 0);
        const removed = SPLIT_NAMES.reduce((sum, s) => sum + child.sticky.removed[s], 0);
        if (!by) expect([kept, removed]).toEqual([475, 25]);
        const verified = await call(h, 'POST', `/v1/splits/${child.id}/verify?wait=50`);
        expect(verified.json.job.result).toMatchObject({ ok: true, reproducible: true });
      },
    );

    it('resolves an alias at submit time and records the manifest it pointed at, with the parent in the lineage', async () => {
      const rand = lcg(99);
      const before = makeRows(200, 0, 20, rand);
      const spec = { strategy: 'random', seed: 5, ratios, format: 'csv' };
      const parent = await freezeSplit(h, await upload(before), spec);
      const other = await freezeSplit(h, await upload(makeRows(50, 1000, 5, rand)), spec);
      await call(h, 'PUT', '/v1/aliases/sticky-prod', { body: { manifestId: parent, reason: 'release' } });
      const dataset = await upload(edit(before, 0.2, 0.05, rand));
      const answer = await call(h, 'POST', '/v1/splits', {
        body: { dataset, spec, stickyTo: 'sticky-prod' },
      });
      expect(answer.status).toBe(202);
      expect(answer.json.job.input.stickyTo).toBe(parent);
      // A move after submission changes nothing: the job already names the manifest.
      await call(h, 'PUT', '/v1/aliases/sticky-prod', {
        body: { manifestId: other, reason: 'moved', expectedRevision: 1 },
      });
      let job = answer.json.job;
      for (let i = 0; i < 100 && job.state !== 'succeeded' && job.state !== 'failed'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        job = (await call(h, 'GET', `/v1/jobs/${job.id}`)).json;
      }
      expect(job.state).toBe('succeeded');
      const view = await call(h, 'GET', `/v1/splits/${job.manifestId}`);
      expect(view.json.manifest.sticky.parent).toBe(parent);
      expect(renderSticky(view.json.manifest)).toContain(parent.slice(0, 12));
      const lineage = await call(h, 'GET', `/v1/splits/${job.manifestId}/lineage`);
      expect(lineage.json.ancestors).toContainEqual({ id: parent, depth: 1 });
    });

    it('answers 404 STICKY.UNKNOWN_PARENT for a parent that names nothing, by id, short id, alias or label', async () => {
      const dataset = await upload(makeRows(30, 0, 3, lcg(1)));
      const spec = { strategy: 'random', seed: 1, ratios, format: 'csv' };
      for (const stickyTo of ['e'.repeat(64), 'eeeeeeeeee', 'no-such-alias', 'nobody@v1']) {
        const answer = await call(h, 'POST', '/v1/splits', { body: { dataset, spec, stickyTo } });
        expect(answer.status, stickyTo).toBe(404);
        expect(answer.json.code).toBe('STICKY.UNKNOWN_PARENT');
      }
    });

    it('refuses a stickyBy column the parent lacks at submit time, and one the dataset lacks from the job, with STICKY.UNKNOWN_COLUMN', async () => {
      const rand = lcg(4);
      const spec = { strategy: 'random', seed: 1, ratios, format: 'csv' };
      const rows = makeRows(40, 0, 4, rand);
      const parent = await freezeSplit(h, await upload(rows), spec);
      const dataset = await upload(edit(rows, 0.2, 0, rand));
      const noParentColumn = await call(h, 'POST', '/v1/splits', {
        body: { dataset, spec, stickyTo: parent, stickyBy: 'customer' },
      });
      expect(noParentColumn.status).toBe(400);
      expect(noParentColumn.json.code).toBe('STICKY.UNKNOWN_COLUMN');
      const narrow = new TextEncoder().encode(
        `id,label\n${rows.map((r) => `${r.id},${r.label}`).join('\n')}\n`,
      );
      const narrowSha = sha256Of(narrow);
      await uploadDataset(h, { bytes: narrow, sha256: narrowSha, rows: rows.length });
      const noDatasetColumn = await call(h, 'POST', '/v1/splits?wait=50', {
        body: { dataset: narrowSha, spec, stickyTo: parent, stickyBy: 'g' },
      });
      expect(noDatasetColumn.status).toBe(400);
      expect(noDatasetColumn.json.code).toBe('STICKY.UNKNOWN_COLUMN');
      const byAlone = await call(h, 'POST', '/v1/splits', { body: { dataset, spec, stickyBy: 'g' } });
      expect(byAlone.status).toBe(400);
      expect(byAlone.json.code).toBe('REQUEST.INVALID');
    });
  });
}
