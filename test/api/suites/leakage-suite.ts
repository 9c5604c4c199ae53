import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLeakage } from '../../../functions/cli/commands/render-leakage.js';
import {
  PLANTED_PAIRS,
  PLANTED_SPEC,
  PLANTED_SPLITS,
  plantedCsv,
} from '../../fixtures/planted-duplicates.js';
import { call, freezeSplit, uploadDataset } from '../support/client.js';
import { csvDataset, type DatasetBytes, sha256Of } from '../support/dataset.js';
import type { ApiHarness } from '../support/harness.js';

function planted(): DatasetBytes {
  const bytes = new TextEncoder().encode(plantedCsv());
  return { bytes, sha256: sha256Of(bytes), rows: 40 };
}

/** The leakage report and dedupe through the API: the same on every backend. */
export function leakageSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`leakage report (${name})`, () => {
    let h: ApiHarness;
    const data = planted();
    beforeAll(async () => {
      h = await makeHarness();
      await uploadDataset(h, data);
    });
    afterAll(async () => h?.close());

    it('reports exactly the planted duplicates of a freeze at GET /v1/splits/{id}/leakage', async () => {
      const id = await freezeSplit(h, data.sha256, { ...PLANTED_SPEC, format: 'csv' });
      const answer = await call(h, 'GET', `/v1/splits/${id}/leakage`);
      expect(answer.status).toBe(200);
      const report = answer.json;
      expect(report.type).toBe('splitvault.leakage-report.v1');
      expect(report.manifestId).toBe(id);
      expect(report.splits.train).toMatchObject(PLANTED_SPLITS.train);
      expect(report.splits.test).toMatchObject(PLANTED_SPLITS.test);
      const pairs = report.pairs.map((p: { examples: { rows: number[] }[] }) => ({
        ...p,
        examples: p.examples.map((e) => e.rows),
      }));
      expect(pairs).toEqual(PLANTED_PAIRS);
      const manifest = (await call(h, 'GET', `/v1/splits/${id}`)).json.manifest;
      expect(answer.headers.get('etag')).toBe(`"${manifest.leakageReport}"`);
      expect(report.splits.train.sha256).toBe(manifest.splits.train.sha256);
      expect(renderLeakage(report)).toBe(
        'duplicate rows 1/0/0; shared rows train×validation 0, train×test 3 (4+3 rows), validation×test 1 (1+1 rows)',
      );
    });

    it('answers the stored bytes, which hash to the address the manifest record names', async () => {
      const id = await freezeSplit(h, data.sha256, { ...PLANTED_SPEC, format: 'csv' });
      const response = await h.app.request(`/v1/splits/${id.slice(0, 12)}/leakage`, {
        headers: { authorization: 'Bearer admin-token-0123456789abcdefg' },
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const manifest = (await call(h, 'GET', `/v1/splits/${id}`)).json.manifest;
      expect(sha256Of(bytes)).toBe(manifest.leakageReport);
    });

    it('refuses dedupe "refuse" with 422 SPEC.CROSS_SPLIT_DUPLICATES and records no manifest', async () => {
      const before = (await call(h, 'GET', `/v1/datasets/${data.sha256}/splits`)).json.items.length;
      const answer = await call(h, 'POST', '/v1/splits?wait=50', {
        body: { dataset: data.sha256, spec: { ...PLANTED_SPEC, format: 'csv', dedupe: 'refuse' } },
      });
      expect(answer.status).toBe(422);
      expect(answer.json.code).toBe('SPEC.CROSS_SPLIT_DUPLICATES');
      expect(answer.json.duplicates[1]).toMatchObject({ splits: ['train', 'test'], sharedIdentities: 3 });
      const after = (await call(h, 'GET', `/v1/datasets/${data.sha256}/splits`)).json.items.length;
      expect(after).toBe(before);
    });

    it('answers 404 LEAKAGE.NOT_RECORDED for a freeze with dedupe "none"', async () => {
      const other = csvDataset(30, 41);
      await uploadDataset(h, other);
      const id = await freezeSplit(h, other.sha256, { ...PLANTED_SPEC, format: 'csv', dedupe: 'none' });
      const answer = await call(h, 'GET', `/v1/splits/${id}/leakage`);
      expect(answer.status).toBe(404);
      expect(answer.json.code).toBe('LEAKAGE.NOT_RECORDED');
      expect((await call(h, 'GET', `/v1/splits/${id}`)).json.manifest).not.toHaveProperty('leakageReport');
    });

    it('gives the same manifest id to a spec that says dedupe "report" as to one that leaves it out', async () => {
      const plain = await freezeSplit(h, data.sha256, { ...PLANTED_SPEC, format: 'csv' });
      const said = await freezeSplit(h, data.sha256, { ...PLANTED_SPEC, format: 'csv', dedupe: 'report' });
      expect(said).toBe(plain);
    });
  });
}
