import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/client.js';
import type { ApiHarness } from '../support/harness.js';

/**
 * Readers that fetch parts of a file (polars.read_ipc, pyarrow's and fsspec's HTTP file
 * systems) need signed URLs to honour Range. On AWS that is S3's (versitygw's) own behaviour;
 * on the embedded backend it is ours. The same cases run on both.
 */
export function rangeSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`ranged reads of signed URLs (${name})`, () => {
    let h: ApiHarness;
    const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const sha256 = createHash('sha256').update(body).digest('hex');
    let url: string;
    beforeAll(async () => {
      h = await makeHarness();
      await h.blobs.put('artifact', sha256, body, body.byteLength);
      url = (await h.blobs.presignGet('artifact', sha256, { expiresIn: 300 })).url;
    });
    afterAll(async () => h?.close());

    const get = (range?: string) => h.fetchPresigned(url, range ? { headers: { range } } : {});

    it('answers a plain GET whole, saying it accepts byte ranges', async () => {
      const response = await get();
      expect(response.status).toBe(200);
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
    });

    it.each([
      ['bytes=0-99', 0, 99],
      ['bytes=990-', 990, 999],
      ['bytes=-10', 990, 999],
      ['bytes=950-5000', 950, 999],
    ])('answers Range %s with 206 and exactly bytes %i to %i', async (range, start, end) => {
      const response = await get(range);
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
      expect(response.headers.get('content-length')).toBe(String(end - start + 1));
      expect(Buffer.from(await response.arrayBuffer())).toEqual(body.subarray(start, end + 1));
    });

    it('answers 416 for a range that starts past the end', async () => {
      // S3 (and versitygw) say the size in an XML body; our route in Content-Range (blob-range.test.ts).
      const response = await get('bytes=1000-1010');
      expect(response.status).toBe(416);
      await response.arrayBuffer();
    });

    it('sends a download route that was asked for a range to a URL that honours it', async () => {
      const answer = await call(h, 'GET', `/v1/artifacts/${sha256}`);
      expect(answer.status).toBe(307);
      const response = await h.fetchPresigned(answer.headers.get('location')!, {
        headers: { range: 'bytes=10-19' },
      });
      expect(response.status).toBe(206);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(body.subarray(10, 20));
    });
  });
}
