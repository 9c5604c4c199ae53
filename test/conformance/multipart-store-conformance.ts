/**
 * One suite for both MultipartStores: what a part URL accepts, when complete publishes, and
 * what an abandoned upload leaves behind. Each backend gives its stores and a way to send a
 * presigned part request (the embedded part route in-process, S3 over HTTP).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore, PresignedRequest } from '../../functions/core/ports.js';
import type { MultipartStore, UploadPlan } from '../../functions/core/upload/ports.js';
import { MIN_PART_BYTES } from '../../schemas/uploads.js';

export interface MultipartFixture {
  readonly store: MultipartStore;
  readonly blobs: BlobStore;
  /** Sends `body` to a part URL with its signed headers; answers the HTTP status. */
  send(request: PresignedRequest, body: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function defineMultipartStoreConformance(name: string, make: () => Promise<MultipartFixture>): void {
  describe(`MultipartStore conformance: ${name}`, () => {
    let f: MultipartFixture;
    beforeAll(async () => {
      f = await make();
    });
    afterAll(async () => {
      await f?.close();
    });

    // Two parts: a full 5 MiB one (S3's minimum for all but the last) and a short last one.
    const file = () => randomBytes(MIN_PART_BYTES + 1234);
    const part = (bytes: Uint8Array, n: number) =>
      bytes.subarray((n - 1) * MIN_PART_BYTES, n * MIN_PART_BYTES);
    const start = (bytes: Uint8Array, sha256 = sha(bytes)) =>
      f.store.start(sha256, bytes.byteLength, MIN_PART_BYTES);
    async function send(plan: UploadPlan, n: number, body: Uint8Array, signed = sha(body)): Promise<number> {
      return f.send(await f.store.presignPart(plan, n, signed, { expiresIn: 300 }), body);
    }

    it('stores parts that match their signed SHA-256 and publishes the file whose whole hash matches', async () => {
      const bytes = file();
      const plan = await start(bytes);
      expect(plan.partCount).toBe(2);
      expect(await send(plan, 1, part(bytes, 1))).toBe(200);
      expect(await send(plan, 2, part(bytes, 2))).toBe(200);
      expect((await f.store.listParts(plan)).map((p) => [p.number, p.sha256])).toEqual([
        [1, sha(part(bytes, 1))],
        [2, sha(part(bytes, 2))],
      ]);
      expect(await f.store.complete(plan)).toEqual({ created: true });
      expect(await f.blobs.head('dataset', sha(bytes))).toMatchObject({ bytes: bytes.byteLength });
      expect(await f.store.get(plan.id)).toBeUndefined();
    });

    it('refuses a part whose bytes do not hash to the SHA-256 its URL signs', async () => {
      const bytes = file();
      const plan = await start(bytes);
      const wrong = Buffer.from(part(bytes, 1));
      wrong[7] = wrong[7]! ^ 1;
      const status = await send(plan, 1, wrong, sha(part(bytes, 1)));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(await f.store.listParts(plan)).toEqual([]);
    });

    it('answers the unexpired upload of the same dataset again, with the parts already staged', async () => {
      const bytes = file();
      const plan = await start(bytes);
      await send(plan, 1, part(bytes, 1));
      const again = await start(bytes);
      expect(again.id).toBe(plan.id);
      expect((await f.store.listParts(again)).map((p) => p.number)).toEqual([1]);
    });

    it('refuses to complete with a part missing and publishes nothing', async () => {
      const bytes = file();
      const plan = await start(bytes);
      await send(plan, 2, part(bytes, 2));
      await expect(f.store.complete(plan)).rejects.toMatchObject({ code: 'UPLOAD.PART_MISSING' });
      expect(await f.blobs.head('dataset', sha(bytes))).toBeUndefined();
    });

    it('refuses a complete whose assembled file hashes to something else, leaving nothing at either address', async () => {
      const bytes = file();
      const claimed = sha(randomBytes(16));
      const plan = await start(bytes, claimed);
      await send(plan, 1, part(bytes, 1));
      await send(plan, 2, part(bytes, 2));
      await expect(f.store.complete(plan)).rejects.toMatchObject({ code: 'UPLOAD.HASH_MISMATCH' });
      expect(await f.blobs.head('dataset', claimed)).toBeUndefined();
      expect(await f.blobs.head('dataset', sha(bytes))).toBeUndefined();
      expect(await f.store.get(plan.id)).toBeUndefined();
    });

    it('forgets an aborted upload and publishes nothing', async () => {
      const bytes = file();
      const plan = await start(bytes);
      await send(plan, 1, part(bytes, 1));
      await f.store.abort(plan.id);
      expect(await f.store.get(plan.id)).toBeUndefined();
      expect(await f.blobs.head('dataset', sha(bytes))).toBeUndefined();
    });
  });
}
