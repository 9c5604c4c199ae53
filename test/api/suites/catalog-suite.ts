import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredManifest } from '../../../schemas/records.js';
import { type CallOptions, call } from '../support/client.js';
import { csvDataset, type DatasetBytes, RANDOM_SPEC } from '../support/dataset.js';
import { type ApiHarness, TOKENS } from '../support/harness.js';

/** GET /v1/datasets and GET /v1/splits on a store of their own: the same on every backend. */
export function catalogSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`catalog (${name})`, () => {
    let h: ApiHarness;
    const first = csvDataset(60, 31);
    const second = csvDataset(60, 32);
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      h = await makeHarness();
      await upload(h, first, 'iris-train.csv');
      await upload(h, second, 'wine.csv');
      ids.a = await freeze(h, first, { provenance: { version: 'v1' } });
      ids.b = await freeze(h, second, { provenance: { version: 'v2' } }, { token: TOKENS.writer });
      ids.c = await freeze(h, first, { spec: { ...RANDOM_SPEC, seed: 99 } }, { token: TOKENS.writer });
    });
    afterAll(async () => h?.close());

    /** Every item of a listing, following cursors one item at a time. */
    async function everything(path: string): Promise<{ pages: number; items: Record<string, unknown>[] }> {
      const items: Record<string, unknown>[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const answer = await call(
          h,
          'GET',
          `${path}${separator}limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          {
            token: TOKENS.reader,
          },
        );
        expect(answer.status).toBe(200);
        items.push(...answer.json.items);
        cursor = answer.json.cursor;
        pages += 1;
      } while (cursor !== undefined);
      return { pages, items };
    }
    const newestFirst = (times: unknown[]) => [...(times as string[])].sort().reverse();

    it('lists every dataset once with its name, newest first, in cursor pages', async () => {
      await upload(h, first, 'iris-renamed.csv', 200);
      const { pages, items } = await everything('/v1/datasets');
      expect(pages).toBe(2);
      expect(items.map((d) => d.name).sort()).toEqual(['iris-renamed.csv', 'wine.csv']);
      expect(items.map((d) => d.createdAt)).toEqual(newestFirst(items.map((d) => d.createdAt)));
      expect(items.find((d) => d.sha256 === first.sha256)).toMatchObject({ bytes: first.bytes.byteLength });
    });

    it('filters datasets by name prefix', async () => {
      const answer = await call(h, 'GET', '/v1/datasets?prefix=wi');
      expect(answer.json).toEqual({
        items: [expect.objectContaining({ sha256: second.sha256, name: 'wine.csv' })],
      });
      expect((await call(h, 'GET', '/v1/datasets?prefix=zzz')).json).toEqual({ items: [] });
    });

    it('lists manifests newest first with dataset name, version label, creator and sizes', async () => {
      const { items } = await everything('/v1/splits');
      expect(items.map((s) => s.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
      expect(items.map((s) => s.createdAt)).toEqual(newestFirst(items.map((s) => s.createdAt)));
      expect(items.find((s) => s.id === ids.b)).toEqual({
        id: ids.b,
        createdAt: expect.any(String),
        createdBy: 'bob',
        version: 'v2',
        strategy: 'random',
        dataset: { sha256: second.sha256, name: 'wine.csv', rows: 60, format: 'csv' },
        rows: { train: 48, validation: 6, test: 6 },
      });
    });

    it('filters manifests by dataset, version label, creator and time range', async () => {
      const idsOf = async (query: string) =>
        ((await call(h, 'GET', `/v1/splits?${query}`)).json.items as { id: string }[])
          .map((s) => s.id)
          .sort();
      expect(await idsOf(`dataset=${first.sha256}`)).toEqual([ids.a, ids.c].sort());
      expect(await idsOf('version=v1')).toEqual([ids.a]);
      expect(await idsOf('createdBy=bob')).toEqual([ids.b, ids.c].sort());
      expect(await idsOf(`createdBy=bob&dataset=${first.sha256}`)).toEqual([ids.c]);
      const all = (await call(h, 'GET', '/v1/splits')).json.items as { id: string; createdAt: string }[];
      const a = all.find((s) => s.id === ids.a)!;
      const c = all.find((s) => s.id === ids.c)!;
      expect(await idsOf(`from=${encodeURIComponent(c.createdAt)}`)).toEqual([ids.c]);
      expect(await idsOf(`to=${encodeURIComponent(a.createdAt)}`)).toEqual([ids.a]);
    });

    it('resolves an 8-character prefix of a manifest or dataset id everywhere a full id works', async () => {
      const short = ids.b!.slice(0, 8);
      const shown = await call(h, 'GET', `/v1/splits/${short}`, { token: TOKENS.reader });
      expect(shown.status).toBe(200);
      expect(shown.json.manifest.id).toBe(ids.b);
      expect(shown.json.freezeEvents).toHaveLength(1);
      const lineage = await call(h, 'GET', `/v1/splits/${short}/lineage`);
      expect(lineage.json.manifestId).toBe(ids.b);
      const download = await call(h, 'GET', `/v1/splits/${short}/train`, {
        headers: { accept: 'application/json' },
      });
      expect(download.json.sha256).toBe(shown.json.manifest.splits.train.sha256);
      const verify = await call(h, 'POST', `/v1/splits/${short}/verify?wait=50`);
      expect(verify.json.job.result.expected.manifestId).toBe(ids.b);
      const dataset = await call(h, 'GET', `/v1/datasets/${second.sha256.slice(0, 10)}`);
      expect(dataset.json).toMatchObject({ sha256: second.sha256, name: 'wine.csv' });
      const made = await call(h, 'GET', `/v1/datasets/${second.sha256.slice(0, 8)}/splits`);
      expect(made.json.items).toEqual([ids.b]);
    });

    it('resolves dataset-name@label to the manifest first frozen with that label on that dataset', async () => {
      const shown = await call(h, 'GET', `/v1/splits/${encodeURIComponent('wine.csv@v2')}`);
      expect(shown.json.manifest.id).toBe(ids.b);
      const download = await call(h, 'GET', `/v1/splits/${encodeURIComponent('wine.csv@v2')}/test`, {
        headers: { accept: 'application/json' },
      });
      expect(download.json.sha256).toBe(shown.json.manifest.splits.test.sha256);
      // The dataset's current name: it was registered again as iris-renamed.csv above.
      expect((await call(h, 'GET', '/v1/splits/iris-renamed.csv@v1')).json.manifest.id).toBe(ids.a);
      const wrong = await call(h, 'GET', '/v1/splits/wine.csv@v1');
      expect({ status: wrong.status, code: wrong.json.code }).toEqual({
        status: 404,
        code: 'SPLIT.NOT_FOUND',
      });
    });

    it('answers a prefix of several manifest ids with 409 listing them, and an unknown one with 404', async () => {
      const base = { ...(await call(h, 'GET', `/v1/splits/${ids.a}`)).json.manifest };
      const twins = ['1', '2'].map((digit) => ({ ...base, id: `5ca1ab1e${digit.repeat(56)}` }));
      await putTwins(h, twins);
      const ambiguous = await call(h, 'GET', '/v1/splits/5ca1ab1e');
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.json).toMatchObject({ code: 'ID.AMBIGUOUS', candidates: twins.map((t) => t.id) });
      expect(ambiguous.json.detail).toContain(twins[0]!.id);
      expect((await call(h, 'GET', '/v1/splits/5ca1ab1e2')).json.manifest.id).toBe(twins[1]!.id);
      const unknown = await call(h, 'GET', '/v1/splits/0000000000');
      expect({ status: unknown.status, code: unknown.json.code }).toEqual({
        status: 404,
        code: 'SPLIT.NOT_FOUND',
      });
      expect((await call(h, 'GET', '/v1/splits/abcdef1')).status).toBe(400);
    });

    it('resolves an 8-character prefix of a split artifact or a dataset on /v1/artifacts, and the full hash as before', async () => {
      const json = { headers: { accept: 'application/json' } };
      const { manifest } = (await call(h, 'GET', `/v1/splits/${ids.b}`)).json;
      const train = manifest.splits.train;
      const byPrefix = await call(h, 'GET', `/v1/artifacts/${train.sha256.slice(0, 8)}`, json);
      expect(byPrefix.status).toBe(200);
      expect(byPrefix.json).toMatchObject({ sha256: train.sha256, bytes: train.bytes });
      const byHash = await call(h, 'GET', `/v1/artifacts/${train.sha256}`, json);
      expect(byHash.status).toBe(200);
      expect(byHash.json).toMatchObject({ sha256: train.sha256, bytes: train.bytes });
      const redirect = await call(h, 'GET', `/v1/artifacts/${train.sha256.slice(0, 12)}`);
      expect(redirect.status).toBe(307);
      const dataset = await call(h, 'GET', `/v1/artifacts/${second.sha256.slice(0, 8)}`, json);
      expect(dataset.json).toMatchObject({ sha256: second.sha256, bytes: second.bytes.byteLength });
    });

    it('answers an artifact prefix several share with 409 listing them, a short one with 400 and an unknown one with 404', async () => {
      const base = { ...(await call(h, 'GET', `/v1/splits/${ids.c}`)).json.manifest };
      const artifact = (digit: string) => ({ sha256: `badcafe0${digit.repeat(56)}`, bytes: 10, rows: 1 });
      const twins = ['1', '2'].map((digit) => ({
        ...base,
        id: `5eed0f00${digit.repeat(56)}`,
        splits: { ...base.splits, test: artifact(digit) },
      }));
      await putTwins(h, twins);
      const candidates = ['1', '2'].map((digit) => artifact(digit).sha256);
      const ambiguous = await call(h, 'GET', '/v1/artifacts/badcafe0');
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.json).toMatchObject({ code: 'ID.AMBIGUOUS', candidates });
      expect(ambiguous.json.detail).toContain(candidates[1]);
      // One candidate resolves; these records name bytes that were never stored, hence 404.
      const one = await call(h, 'GET', '/v1/artifacts/badcafe02');
      expect({ status: one.status, code: one.json.code }).toEqual({ status: 404, code: 'BLOB.NOT_FOUND' });
      expect(one.json.detail).toContain(candidates[1]);
      for (const path of ['/v1/artifacts/0000000000', `/v1/artifacts/${'0'.repeat(64)}`]) {
        const unknown = await call(h, 'GET', path);
        expect({ status: unknown.status, code: unknown.json.code }).toEqual({
          status: 404,
          code: 'BLOB.NOT_FOUND',
        });
      }
      const short = await call(h, 'GET', '/v1/artifacts/badcafe');
      expect(short.status).toBe(400);
      expect(short.json.detail ?? short.json.title).toMatch(/8 or more/);
    });

    it('refuses a new alias named like a short id, and accepts names that are not', async () => {
      const put = (name: string) =>
        call(h, 'PUT', `/v1/aliases/${name}`, { body: { manifestId: ids.a, reason: 'release' } });
      const refused = await put('deadbeef');
      expect({ status: refused.status, code: refused.json.code }).toEqual({
        status: 400,
        code: 'ALIAS.LOOKS_LIKE_ID',
      });
      expect((await put('deadbee')).status).toBe(201);
      expect((await put('deadbeef-v1')).status).toBe(201);
    });

    it("filters manifests by the targets of an alias's history, newest first, with the other filters", async () => {
      for (const id of [ids.a, ids.c]) {
        const moved = await call(h, 'PUT', '/v1/aliases/catalog-prod', {
          body: { manifestId: id, reason: 'release' },
        });
        expect(moved.status).toBeLessThan(300);
      }
      const idsOf = async (query: string) =>
        ((await call(h, 'GET', `/v1/splits?${query}`)).json.items as { id: string }[]).map((s) => s.id);
      expect(await idsOf('alias=catalog-prod')).toEqual([ids.c, ids.a]);
      expect(await idsOf('alias=catalog-prod&createdBy=bob')).toEqual([ids.c]);
      expect(await idsOf('alias=catalog-prod&version=v1')).toEqual([ids.a]);
      const unknown = await call(h, 'GET', '/v1/splits?alias=no-such-alias');
      expect({ status: unknown.status, code: unknown.json.code }).toEqual({
        status: 404,
        code: 'ALIAS.NOT_FOUND',
      });
    });

    it('refuses a malformed filter with a 400 naming it', async () => {
      const answer = await call(h, 'GET', '/v1/splits?from=yesterday&dataset=abc');
      expect(answer.status).toBe(400);
      expect(answer.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['dataset', 'from']);
    });
  });
}

/**
 * Stores copies of a manifest under made-up ids straight into the lineage store (no freeze
 * could give ids that share a prefix), each with the freeze event and audit entry a freeze writes.
 */
async function putTwins(h: ApiHarness, twins: readonly StoredManifest[]): Promise<void> {
  for (const twin of twins) {
    const event = { manifestId: twin.id, at: twin.createdAt, actor: 'root', requestId: twin.id, service: {} };
    const entry = {
      id: twin.id,
      at: twin.createdAt,
      actor: 'root',
      action: 'split.freeze',
      target: `split:${twin.id}`,
      requestId: twin.id,
    };
    await h.lineage.putManifest(twin, event, [], entry);
  }
}

async function upload(h: ApiHarness, data: DatasetBytes, name: string, status = 201): Promise<void> {
  const created = await call(h, 'POST', '/v1/datasets', {
    body: { sha256: data.sha256, bytes: data.bytes.byteLength, name },
  });
  expect(created.status).toBe(status);
  if (!created.json.upload) return;
  const { url, method, headers } = created.json.upload;
  expect((await h.fetchPresigned(url, { method, headers, body: data.bytes })).status).toBeLessThan(300);
}

async function freeze(h: ApiHarness, data: DatasetBytes, extra: object, options: CallOptions = {}) {
  const answer = await call(h, 'POST', '/v1/splits?wait=50', {
    ...options,
    body: { dataset: data.sha256, spec: RANDOM_SPEC, ...extra },
  });
  expect(answer.status).toBe(201);
  return answer.json.manifest.id as string;
}
