import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit } from '../support/client.js';
import { csvDataset, type DatasetBytes, RANDOM_SPEC } from '../support/dataset.js';
import { type ApiHarness, TOKENS } from '../support/harness.js';

/** Dataset registrations: a size is a claim until the stored bytes confirm it. */
export function datasetsSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`dataset registrations (${name})`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => h?.close());

    const register = (data: DatasetBytes, token: string, body: Record<string, unknown>) =>
      call(h, 'POST', '/v1/datasets', { token, body: { sha256: data.sha256, ...body } });
    const put = (
      answer: { json: { upload: { url: string; method: string; headers: Record<string, string> } } },
      bytes: Uint8Array,
    ) =>
      h.fetchPresigned(answer.json.upload.url, {
        method: answer.json.upload.method,
        headers: answer.json.upload.headers,
        body: bytes,
      });

    it('lets the true bytes in after someone else registered the hash with a wrong size and name', async () => {
      const data = csvDataset(40, 21);
      const squat = await register(data, TOKENS.writer, { bytes: 1, name: 'squatted.csv' });
      expect(squat.status).toBe(201);
      const owner = await register(data, TOKENS.admin, {
        bytes: data.bytes.byteLength,
        name: 'real.csv',
        mediaType: 'text/csv',
      });
      expect(owner.status).toBe(201);
      expect(owner.json.dataset).toMatchObject({
        bytes: data.bytes.byteLength,
        name: 'real.csv',
        createdBy: 'root',
        status: 'pending',
      });
      // The squatter's own URL is signed for one byte: it can store nothing with this hash.
      expect(squat.json.upload.url).not.toBe(owner.json.upload.url);
      expect((await put(owner, data.bytes)).status).toBeLessThan(300);
      const read = await call(h, 'GET', `/v1/datasets/${data.sha256}`);
      expect(read.json).toMatchObject({
        bytes: data.bytes.byteLength,
        name: 'real.csv',
        mediaType: 'text/csv',
        createdBy: 'root',
        status: 'available',
      });
      await freezeSplit(h, data.sha256, RANDOM_SPEC);
    });

    it('refuses a wrong size only once the stored bytes have confirmed the true one', async () => {
      const data = csvDataset(30, 22);
      const owner = await register(data, TOKENS.admin, { bytes: data.bytes.byteLength });
      expect((await register(data, TOKENS.writer, { bytes: 7 })).status).toBe(201);
      expect((await put(owner, data.bytes)).status).toBeLessThan(300);
      const late = await register(data, TOKENS.writer, { bytes: 7, name: 'late.csv' });
      expect(late.status).toBe(409);
      expect(late.json.code).toBe('DATASET.SIZE_MISMATCH');
      expect(late.json.detail).toContain(`stored with ${data.bytes.byteLength} bytes`);
      const again = await register(data, TOKENS.writer, { bytes: data.bytes.byteLength, name: 'mine.csv' });
      expect(again.status).toBe(200);
      expect(again.json.dataset).toMatchObject({ name: 'mine.csv', createdBy: 'bob', status: 'available' });
      expect(again.json.upload).toBeUndefined();
    });

    it('shows the latest registration of the stored size, not a later claim of another size', async () => {
      const data = csvDataset(25, 23);
      const owner = await register(data, TOKENS.admin, { bytes: data.bytes.byteLength, name: 'owner.csv' });
      const squat = await register(data, TOKENS.writer, { bytes: 3, name: 'squatted.csv' });
      expect(squat.status).toBe(201);
      const pending = await call(h, 'GET', `/v1/datasets/${data.sha256}`);
      expect(pending.json).toMatchObject({ bytes: 3, name: 'squatted.csv', status: 'pending' });
      expect((await put(owner, data.bytes)).status).toBeLessThan(300);
      const stored = await call(h, 'GET', `/v1/datasets/${data.sha256}`);
      expect(stored.json).toMatchObject({
        bytes: data.bytes.byteLength,
        name: 'owner.csv',
        createdBy: 'root',
        status: 'available',
      });
    });

    it("keeps each registration's name, media type and actor in the audit log", async () => {
      const data = csvDataset(20, 24);
      await register(data, TOKENS.writer, { bytes: 2, name: 'a.csv' });
      await register(data, TOKENS.admin, {
        bytes: data.bytes.byteLength,
        name: 'b.csv',
        mediaType: 'text/csv',
      });
      const audit = await call(h, 'GET', `/v1/audit?target=${encodeURIComponent(`dataset:${data.sha256}`)}`);
      // Two registrations in the same millisecond have no defined order in the log, so compare
      // the set of entries, not their order.
      const entries = audit.json.items.map((e: { actor: string; details: object }) => [e.actor, e.details]);
      expect(entries).toHaveLength(2);
      expect(entries).toEqual(
        expect.arrayContaining([
          ['root', { bytes: data.bytes.byteLength, name: 'b.csv', mediaType: 'text/csv' }],
          ['bob', { bytes: 2, name: 'a.csv' }],
        ]),
      );
    });
  });
}
