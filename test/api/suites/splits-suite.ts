import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../support/client.js';
import { csvDataset, RANDOM_SPEC, sha256Of } from '../support/dataset.js';
import type { ApiHarness } from '../support/harness.js';

/** Datasets, freezing, downloads, jobs, verify and lineage: the same on every backend. */
export function splitsSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`datasets and splits (${name})`, () => {
    let h: ApiHarness;
    const data = csvDataset(300, 1);
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => h?.close());

    it('registers a dataset as pending with an upload URL, then answers 200 once the bytes are stored', async () => {
      const pending = await call(h, 'POST', '/v1/datasets', {
        body: { sha256: data.sha256, bytes: data.bytes.byteLength },
      });
      expect(pending.status).toBe(201);
      expect(pending.json.dataset.status).toBe('pending');
      expect(pending.json.upload.method).toBe('PUT');
      const tampered = data.bytes.slice();
      tampered[0] = 0x41;
      const bad = await h.fetchPresigned(pending.json.upload.url, {
        method: 'PUT',
        headers: pending.json.upload.headers,
        body: tampered,
      });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect((await call(h, 'GET', `/v1/datasets/${data.sha256}`)).json.status).toBe('pending');
      const refused = await call(h, 'POST', '/v1/splits', {
        body: { dataset: data.sha256, spec: RANDOM_SPEC },
      });
      expect(refused.status).toBe(409);
      expect(refused.json.code).toBe('DATASET.NOT_AVAILABLE');

      await uploadDataset(h, data);
      const again = await call(h, 'POST', '/v1/datasets', {
        body: { sha256: data.sha256, bytes: data.bytes.byteLength },
      });
      expect(again.status).toBe(200);
      expect(again.json.upload).toBeUndefined();
      expect((await call(h, 'GET', `/v1/datasets/${data.sha256}`)).json.status).toBe('available');
    });

    it('refuses to freeze an unknown dataset with 404', async () => {
      const answer = await call(h, 'POST', '/v1/splits', {
        body: { dataset: 'f'.repeat(64), spec: RANDOM_SPEC },
      });
      expect(answer.status).toBe(404);
      expect(answer.json.code).toBe('DATASET.NOT_FOUND');
    });

    it('freezes a split, and freezing it again answers the same manifest with a second freeze event', async () => {
      const first = await call(h, 'POST', '/v1/splits?wait=50', {
        body: { dataset: data.sha256, spec: RANDOM_SPEC },
      });
      expect(first.status).toBe(201);
      expect(first.headers.get('location')).toBe(`/v1/splits/${first.json.manifest.id}`);
      const second = await call(h, 'POST', '/v1/splits?wait=50', {
        body: { dataset: data.sha256, spec: RANDOM_SPEC, environment: { client: 'test' } },
      });
      expect(second.status).toBe(200);
      expect(second.json.manifest.id).toBe(first.json.manifest.id);
      const split = await call(h, 'GET', `/v1/splits/${first.json.manifest.id}`);
      expect(split.json.freezeEvents).toHaveLength(2);
      const service = split.json.freezeEvents[0].service;
      expect(service).toMatchObject({ gitCommit: 'test-commit', node: process.version });
      expect(Object.keys(service.libraries)).toContain('apache-arrow');
      const audit = await call(
        h,
        'GET',
        `/v1/audit?action=split.freeze&target=split:${first.json.manifest.id}`,
      );
      expect(audit.json.items).toHaveLength(2);
      const listed = await call(h, 'GET', `/v1/datasets/${data.sha256}/splits`);
      expect(listed.json.items).toEqual([first.json.manifest.id]);
    });

    it('answers 202 with a job that later reports the manifest', async () => {
      const answer = await call(h, 'POST', '/v1/splits', {
        body: { dataset: data.sha256, spec: { ...RANDOM_SPEC, seed: 99 } },
      });
      expect(answer.status).toBe(202);
      expect(answer.headers.get('location')).toBe(`/v1/jobs/${answer.json.job.id}`);
      let job = answer.json.job;
      for (let i = 0; i < 300 && (job.state === 'queued' || job.state === 'running'); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        job = (await call(h, 'GET', `/v1/jobs/${job.id}`)).json;
      }
      expect(job.state).toBe('succeeded');
      expect((await call(h, 'GET', `/v1/splits/${job.manifestId}`)).status).toBe(200);
    });

    it('serves every split through a presigned URL whose bytes match the manifest', async () => {
      const id = await freezeSplit(h, data.sha256, RANDOM_SPEC);
      let rows = 0;
      for (const split of ['train', 'validation', 'test']) {
        const info = await call(h, 'GET', `/v1/splits/${id}/${split}`, {
          headers: { accept: 'application/json' },
        });
        expect(info.status).toBe(200);
        const bytes = new Uint8Array(await (await h.fetchPresigned(info.json.url)).arrayBuffer());
        expect(sha256Of(bytes)).toBe(info.json.sha256);
        expect(tableFromIPC(bytes).numRows).toBe(info.json.rows);
        rows += info.json.rows;
        const redirect = await call(h, 'GET', `/v1/splits/${id}/${split}`);
        expect(redirect.status).toBe(307);
        expect(redirect.headers.get('location')).toMatch(/^https?:\/\//);
        const byHash = await call(h, 'GET', `/v1/artifacts/${info.json.sha256}`, {
          headers: { accept: 'application/json' },
        });
        expect(byHash.json).toMatchObject({ sha256: info.json.sha256, bytes: bytes.byteLength });
      }
      expect(rows).toBe(data.rows);
      const source = await call(h, 'GET', `/v1/artifacts/${data.sha256}`, {
        headers: { accept: 'application/json' },
      });
      expect(sha256Of(new Uint8Array(await (await h.fetchPresigned(source.json.url)).arrayBuffer()))).toBe(
        data.sha256,
      );
    });

    it('verifies a split as reproducible with intact storage', async () => {
      const id = await freezeSplit(h, data.sha256, RANDOM_SPEC);
      const answer = await call(h, 'POST', `/v1/splits/${id}/verify?wait=50`);
      expect(answer.status).toBe(200);
      expect(answer.json.job.result).toMatchObject({
        ok: true,
        failures: [],
        reproducible: true,
        storage: { intact: true },
      });
      expect(answer.json.job.result.actual).toEqual(answer.json.job.result.expected);
    });

    it('walks lineage to ancestors and descendants through provenance parents', async () => {
      const parent = await freezeSplit(h, data.sha256, RANDOM_SPEC);
      const child = await freezeSplit(
        h,
        data.sha256,
        { ...RANDOM_SPEC, seed: 11 },
        { provenance: { parents: [parent] } },
      );
      const down = await call(h, 'GET', `/v1/splits/${parent}/lineage`);
      expect(down.json.descendants).toContainEqual({ id: child, depth: 1 });
      const up = await call(h, 'GET', `/v1/splits/${child}/lineage`);
      expect(up.json).toMatchObject({ dataset: data.sha256 });
      expect(up.json.ancestors).toContainEqual({ id: parent, depth: 1 });
      const unknownParent = await call(h, 'POST', '/v1/splits', {
        body: { dataset: data.sha256, spec: RANDOM_SPEC, provenance: { parents: ['e'.repeat(64)] } },
      });
      expect(unknownParent.json.code).toBe('PROVENANCE.UNKNOWN_PARENT');
    });

    it('records a failed freeze on the job and leaves no manifest behind', async () => {
      const before = (await call(h, 'GET', `/v1/datasets/${data.sha256}/splits`)).json.items.length;
      const spec = { ...RANDOM_SPEC, strategy: 'stratified', stratifyBy: 'no_such_column' };
      const answer = await call(h, 'POST', '/v1/splits?wait=50', { body: { dataset: data.sha256, spec } });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      const job = await call(h, 'GET', answer.headers.get('location')!);
      expect(job.json).toMatchObject({ state: 'failed', problem: { code: answer.json.code } });
      expect((await call(h, 'GET', `/v1/datasets/${data.sha256}/splits`)).json.items).toHaveLength(before);
    });
  });
}
