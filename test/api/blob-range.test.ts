import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rangeSuite } from './suites/range-suite.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

rangeSuite('embedded', embeddedHarness);

/** What only our own signed-URL route does: S3 signs a presigned URL for GET alone. */
describe('the embedded backend signed-URL route', () => {
  let h: ApiHarness;
  const body = Buffer.alloc(300, 'head');
  const sha256 = createHash('sha256').update(body).digest('hex');
  let url: string;
  beforeAll(async () => {
    h = await embeddedHarness();
    await h.blobs.put('artifact', sha256, body, body.byteLength);
    url = (await h.blobs.presignGet('artifact', sha256, { expiresIn: 300 })).url;
  });
  afterAll(async () => h?.close());

  it('answers HEAD with the size and the address as a strong ETag, and no body', async () => {
    const response = await h.fetchPresigned(url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('300');
    expect(response.headers.get('etag')).toBe(`"${sha256}"`);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers the whole body when If-Range names another ETag, and the range when it names this one', async () => {
    const stale = await h.fetchPresigned(url, { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(300);
    const fresh = await h.fetchPresigned(url, { headers: { range: 'bytes=0-9', 'if-range': `"${sha256}"` } });
    expect(fresh.status).toBe(206);
    expect((await fresh.arrayBuffer()).byteLength).toBe(10);
  });

  it('answers 416 as problem+json with a stable code, naming the size in Content-Range', async () => {
    const response = await h.fetchPresigned(url, { headers: { range: 'bytes=400-' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */300');
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'BLOB.RANGE_NOT_SATISFIABLE', status: 416 });
  });

  it('answers several ranges, or a malformed one, with the whole body as the RFC allows', async () => {
    for (const range of ['bytes=0-1,5-6', 'bytes=9-2', 'items=0-5']) {
      const response = await h.fetchPresigned(url, { headers: { range } });
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(300);
    }
  });
});
