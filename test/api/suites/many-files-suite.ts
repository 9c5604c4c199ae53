import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../support/client.js';
import { RANDOM_SPEC, sha256Of } from '../support/dataset.js';
import { type ApiHarness, TOKENS } from '../support/harness.js';

const encode = (text: string) => new TextEncoder().encode(text);

/** A CSV cut into parts with the same header: `rows` rows in `cuts.length - 1` files. */
function csvParts(variant: number, cuts: number[]) {
  const header = 'id,label,value';
  const lines = Array.from(
    { length: cuts.at(-1)! },
    (_, i) => `${i},${i % 3 === 0 ? 'a' : 'b'},${(i * 7 + variant) % 101}`,
  );
  const whole = encode(`${header}\n${lines.join('\n')}\n`);
  const parts = cuts
    .slice(0, -1)
    .map((from, k) => encode(`${header}\n${lines.slice(from, cuts[k + 1]).join('\n')}\n`));
  return { whole, parts };
}

/** Many-file datasets (docs/SPLIT-SPEC.md §7): the same on every backend. */
export function manyFilesSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`many-file datasets (${name})`, () => {
    let h: ApiHarness;
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => h?.close());

    const register = (parts: Uint8Array[], token: string = TOKENS.admin, extra: object = {}) =>
      call(h, 'POST', '/v1/datasets', {
        token,
        body: {
          files: parts.map((part, k) => ({
            sha256: sha256Of(part),
            bytes: part.byteLength,
            name: `part-${k}.csv`,
          })),
          ...extra,
        },
      });
    const putAll = async (
      uploads: { upload: { url: string; method: string; headers: Record<string, string> }; sha256: string }[],
      parts: Uint8Array[],
    ) => {
      for (const { sha256, upload } of uploads) {
        const body = parts.find((part) => sha256Of(part) === sha256)!;
        const put = await h.fetchPresigned(upload.url, {
          method: upload.method,
          headers: upload.headers,
          body,
        });
        expect(put.status).toBeLessThan(300);
      }
    };

    it('registers 4 CSV parts, uploads only the files not stored, and freezes the splits of the whole file', async () => {
      const { whole, parts } = csvParts(31, [0, 20, 45, 46, 90]);
      // One part is already stored as a dataset of its own: no upload is handed out for it.
      await uploadDataset(h, { bytes: parts[2]!, sha256: sha256Of(parts[2]!), rows: 1 });
      const created = await register(parts, TOKENS.admin, { name: 'shards' });
      expect(created.status).toBe(201);
      const id = created.json.dataset.sha256 as string;
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(parts.map(sha256Of)).not.toContain(id);
      expect(created.json.dataset).toMatchObject({
        name: 'shards',
        status: 'pending',
        bytes: parts.reduce((sum, part) => sum + part.byteLength, 0),
      });
      expect(created.json.dataset.files.map((file: { status: string }) => file.status)).toEqual([
        'pending',
        'pending',
        'available',
        'pending',
      ]);
      expect(created.json.uploads.map((u: { sha256: string }) => u.sha256)).toEqual(
        [parts[0]!, parts[1]!, parts[3]!].map(sha256Of),
      );
      const early = await call(h, 'POST', '/v1/splits', { body: { dataset: id, spec: RANDOM_SPEC } });
      expect(early.status).toBe(409);
      expect(early.json.code).toBe('DATASET.NOT_AVAILABLE');

      await putAll(created.json.uploads, parts);
      const shown = await call(h, 'GET', `/v1/datasets/${id}`);
      expect(shown.status).toBe(200);
      expect(shown.json).toMatchObject({ sha256: id, status: 'available', name: 'shards' });
      expect(shown.json.files).toEqual(
        parts.map((part, k) => ({
          sha256: sha256Of(part),
          bytes: part.byteLength,
          name: `part-${k}.csv`,
          status: 'available',
        })),
      );
      // Registering the same files again: same id, nothing to upload.
      const again = await register(parts, TOKENS.writer, { name: 'shards' });
      expect(again.status).toBe(200);
      expect(again.json.dataset.sha256).toBe(id);
      expect(again.json.uploads).toEqual([]);

      const manyId = await freezeSplit(h, id, RANDOM_SPEC);
      const many = await call(h, 'GET', `/v1/splits/${manyId}`);
      expect(many.json.manifest.dataset).toMatchObject({
        sha256: id,
        rows: 90,
        files: parts.map((part) => ({ sha256: sha256Of(part), bytes: part.byteLength })),
      });
      await uploadDataset(h, { bytes: whole, sha256: sha256Of(whole), rows: 90 });
      const oneId = await freezeSplit(h, sha256Of(whole), RANDOM_SPEC);
      const one = await call(h, 'GET', `/v1/splits/${oneId}`);
      expect(many.json.manifest.splits).toEqual(one.json.manifest.splits);
      expect(one.json.manifest.dataset.files).toBeUndefined();

      const verified = await call(h, 'POST', `/v1/splits/${manyId}/verify?wait=50`);
      expect(verified.json.job.result).toMatchObject({
        ok: true,
        reproducible: true,
        storage: { intact: true },
      });
      const lineage = await call(h, 'GET', `/v1/splits/${manyId}/lineage`);
      expect(lineage.json.dataset).toBe(id);
      const splits = await call(h, 'GET', `/v1/datasets/${id}/splits`);
      expect(splits.json.items).toContain(manyId);
      const listed = await call(h, 'GET', '/v1/datasets?prefix=shards');
      expect(listed.json.items.map((d: { sha256: string }) => d.sha256)).toContain(id);
    });

    it('fails the freeze of parts whose headers differ with DATASET.SCHEMA_MISMATCH naming the file', async () => {
      const a = encode('id,label\n1,a\n2,b\n');
      const b = encode('id,name\n3,c\n');
      const created = await register([a, b]);
      await putAll(created.json.uploads, [a, b]);
      const answer = await call(h, 'POST', '/v1/splits?wait=50', {
        body: { dataset: created.json.dataset.sha256, spec: RANDOM_SPEC },
      });
      expect(answer.status).toBe(422);
      expect(answer.json.code).toBe('DATASET.SCHEMA_MISMATCH');
      expect(answer.json.detail).toContain('file 2 (part-1.csv)');
      const job = await call(h, 'GET', answer.headers.get('location')!);
      expect(job.json).toMatchObject({ state: 'failed', problem: { code: 'DATASET.SCHEMA_MISMATCH' } });
    });

    it('refuses a registration of one file, or of a file without its size, as an invalid request', async () => {
      const a = encode('id\n1\n');
      const one = await register([a]);
      expect(one.status).toBe(400);
      const bad = await call(h, 'POST', '/v1/datasets', {
        body: { files: [{ sha256: sha256Of(a) }, { sha256: sha256Of(a), bytes: 4 }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.code).toBe('REQUEST.INVALID');
    });

    it('refuses a file whose stored size differs from the one declared, naming the file', async () => {
      const a = encode('id\n1\n2\n');
      await uploadDataset(h, { bytes: a, sha256: sha256Of(a), rows: 2 });
      const answer = await call(h, 'POST', '/v1/datasets', {
        body: {
          files: [
            { sha256: sha256Of(a), bytes: 3 },
            { sha256: sha256Of(encode('id\n3\n')), bytes: 5 },
          ],
        },
      });
      expect(answer.status).toBe(409);
      expect(answer.json.code).toBe('DATASET.SIZE_MISMATCH');
      expect(answer.json.detail).toContain(sha256Of(a));
    });
  });
}
