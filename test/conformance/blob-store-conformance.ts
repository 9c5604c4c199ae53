/**
 * One BlobStore contract, run against every backend (blob-store.*.test.ts). A backend
 * passes only if it behaves the same as the others on every case, failures included.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobKind, BlobStore } from '../../functions/core/ports.js';

export interface BlobBackend {
  readonly store: BlobStore;
  /** How many stored objects (S3 versions, or files incl. leftovers) the address has. */
  countStored(kind: BlobKind, sha256: string): Promise<number>;
  /** The store's multipart/streaming threshold, so a test can cross it. */
  readonly largeBytes: number;
  close(): Promise<void>;
}

export function bytesOf(label: string, size = 64): { body: Uint8Array; sha256: string } {
  const body = Buffer.alloc(size, label);
  return { body, sha256: createHash('sha256').update(body).digest('hex') };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* chunked(body: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < body.byteLength; offset += size) yield body.subarray(offset, offset + size);
}

export function defineBlobStoreConformance(name: string, open: () => Promise<BlobBackend>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let backend: BlobBackend;
    beforeAll(async () => {
      backend = await open();
    });
    afterAll(async () => {
      await backend?.close();
    });

    it.each<BlobKind>(['dataset', 'artifact'])(
      'stores a %s once and reports its size and retention',
      async (kind) => {
        const { body, sha256 } = bytesOf(`first-${kind}`);
        expect(await backend.store.put(kind, sha256, body, body.byteLength)).toEqual({ created: true });
        const info = await backend.store.head(kind, sha256);
        expect(info).toMatchObject({ kind, sha256, bytes: body.byteLength });
        expect(Date.parse(info!.retainUntil!)).toBeGreaterThan(Date.now());
        expect(await readAll(await backend.store.open(kind, sha256))).toEqual(Buffer.from(body));
      },
    );

    it('reports created=false when the same bytes are stored again', async () => {
      const { body, sha256 } = bytesOf('again');
      await backend.store.put('dataset', sha256, body, body.byteLength);
      expect(await backend.store.put('dataset', sha256, body, body.byteLength)).toEqual({ created: false });
      expect(await backend.countStored('dataset', sha256)).toBe(1);
    });

    it('refuses bytes that do not hash to their address and stores nothing', async () => {
      const { sha256 } = bytesOf('declared');
      const { body } = bytesOf('actual');
      await expect(backend.store.put('dataset', sha256, body, body.byteLength)).rejects.toMatchObject({
        name: 'IntegrityError',
        code: 'BLOB.INTEGRITY',
      });
      expect(await backend.store.head('dataset', sha256)).toBeUndefined();
      expect(await backend.countStored('dataset', sha256)).toBe(0);
    });

    it('refuses to overwrite a stored blob with different bytes and keeps the original', async () => {
      const original = bytesOf('original');
      await backend.store.put('artifact', original.sha256, original.body, original.body.byteLength);
      const other = bytesOf('other');
      await expect(
        backend.store.put('artifact', original.sha256, other.body, other.body.byteLength),
      ).rejects.toMatchObject({ name: 'IntegrityError' });
      expect(await readAll(await backend.store.open('artifact', original.sha256))).toEqual(
        Buffer.from(original.body),
      );
    });

    it('refuses a stream longer than its declared size and stores nothing', async () => {
      const { body, sha256 } = bytesOf('too-long', 4096);
      await expect(backend.store.put('dataset', sha256, chunked(body, 1000), 2000)).rejects.toMatchObject({
        name: 'IntegrityError',
      });
      expect(await backend.countStored('dataset', sha256)).toBe(0);
    });

    it('refuses a body whose size differs from the declared size', async () => {
      const { body, sha256 } = bytesOf('sized');
      await expect(backend.store.put('dataset', sha256, body, body.byteLength + 1)).rejects.toMatchObject({
        name: 'IntegrityError',
      });
    });

    it('stores a streamed body larger than the streaming threshold and reads it back', async () => {
      const { body, sha256 } = bytesOf('large-stream', backend.largeBytes + 12_345);
      const put = await backend.store.put('artifact', sha256, chunked(body, 1_000_003), body.byteLength);
      expect(put).toEqual({ created: true });
      expect(await backend.store.head('artifact', sha256)).toMatchObject({ bytes: body.byteLength });
      const back = await readAll(await backend.store.open('artifact', sha256));
      expect(createHash('sha256').update(back).digest('hex')).toBe(sha256);
      expect(await backend.store.put('artifact', sha256, chunked(body, 999_999), body.byteLength)).toEqual({
        created: false,
      });
    });

    it('refuses a large stream that does not hash to its address and leaves nothing behind', async () => {
      const { sha256 } = bytesOf('large-declared', 16);
      const { body } = bytesOf('large-actual', backend.largeBytes + 1);
      await expect(
        backend.store.put('artifact', sha256, chunked(body, 1_000_003), body.byteLength),
      ).rejects.toMatchObject({ name: 'IntegrityError' });
      expect(await backend.countStored('artifact', sha256)).toBe(0);
    });

    it('reads only the asked byte range, clamped to the end of the blob', async () => {
      const body = Buffer.from(Array.from({ length: 500 }, (_, i) => i % 241));
      const sha256 = createHash('sha256').update(body).digest('hex');
      await backend.store.put('artifact', sha256, body, body.byteLength);
      const read = (start: number, end: number) => backend.store.open('artifact', sha256, { start, end });
      expect(await readAll(await read(100, 199))).toEqual(body.subarray(100, 200));
      expect(await readAll(await read(490, 9999))).toEqual(body.subarray(490));
    });

    it('answers undefined for head and NotFoundError for open of a missing blob', async () => {
      const { sha256 } = bytesOf('never-stored');
      expect(await backend.store.head('dataset', sha256)).toBeUndefined();
      await expect(backend.store.open('dataset', sha256)).rejects.toMatchObject({
        name: 'NotFoundError',
        code: 'BLOB.NOT_FOUND',
      });
    });

    it.each(['ABC', '../../etc/passwd', 'a'.repeat(63)])(
      'refuses the malformed address %s',
      async (address) => {
        await expect(backend.store.head('dataset', address)).rejects.toMatchObject({
          code: 'BLOB.INVALID_SHA256',
        });
        await expect(backend.store.put('dataset', address, new Uint8Array(1), 1)).rejects.toMatchObject({
          code: 'BLOB.INVALID_SHA256',
        });
      },
    );

    it('serves a presigned GET with the download name, and refuses it once altered', async () => {
      const { body, sha256 } = bytesOf('download');
      await backend.store.put('artifact', sha256, body, body.byteLength);
      const signed = await backend.store.presignGet('artifact', sha256, {
        expiresIn: 60,
        filename: 'train.arrow',
      });
      expect(signed.method).toBe('GET');
      expect(Date.parse(signed.expiresAt)).toBeGreaterThan(Date.now());
      const response = await fetch(signed.url, { headers: signed.headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toContain('train.arrow');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(body));
      const other = bytesOf('other-download').sha256;
      expect((await fetch(signed.url.replace(sha256, other))).status).toBe(403);
    });

    it('accepts exactly the promised bytes at a presigned PUT and refuses others', async () => {
      const { body, sha256 } = bytesOf('upload', 300);
      const signed = await backend.store.presignPut(sha256, body.byteLength, { expiresIn: 60 });
      expect(signed.method).toBe('PUT');
      const headers = Object.fromEntries(
        Object.entries(signed.headers).filter(([k]) => k !== 'content-length'),
      );
      const wrong = bytesOf('not-upload', 300).body;
      const refused = await fetch(signed.url, { method: 'PUT', headers, body: wrong });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(await backend.store.head('dataset', sha256)).toBeUndefined();
      const accepted = await fetch(signed.url, { method: 'PUT', headers, body });
      expect(accepted.status).toBe(200);
      expect(await backend.store.head('dataset', sha256)).toMatchObject({ bytes: 300 });
    });

    it('lets 10 concurrent stores of the same blob all succeed with one object and one creator', async () => {
      const { body, sha256 } = bytesOf(`concurrent-${Math.random()}`, 4096);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => backend.store.put('dataset', sha256, body, body.byteLength)),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(await backend.countStored('dataset', sha256)).toBe(1);
    });
  });
}
