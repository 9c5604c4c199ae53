import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { IntegrityError, TooLargeError, ValidationError } from '../../core/errors.js';
import type { BlobStore, LineageStore, SignedUrlVerifier } from '../../core/ports.js';
import type { AppEnv } from '../context.js';

const MEDIA_TYPES = { dataset: 'application/octet-stream', artifact: 'application/vnd.apache.arrow.file' };

/** The actor of audit entries written for a signed-URL upload, which carries no identity. */
export const SIGNED_URL_ACTOR = 'signed-url';

/**
 * The embedded backend's presigned URLs. The signature is the only credential, so the
 * grant it carries (method, kind, hash, size) is all this route will do.
 */
export function blobRoutes(
  deps: { readonly blobs: BlobStore; readonly lineage: LineageStore },
  verifier: SignedUrlVerifier,
  now: () => Date,
): Hono<AppEnv> {
  const { blobs, lineage } = deps;
  return new Hono<AppEnv>()
    .get('/:kind/:sha256', async (c) => {
      const grant = verifier.verify('GET', new URL(c.req.url), now());
      const info = await blobs.head(grant.kind, grant.sha256);
      const body = await blobs.open(grant.kind, grant.sha256);
      const headers: Record<string, string> = {
        'content-type': MEDIA_TYPES[grant.kind],
        'cache-control': 'private, max-age=31536000, immutable',
        ...(info ? { 'content-length': String(info.bytes) } : {}),
        ...(grant.filename
          ? { 'content-disposition': `attachment; filename="${grant.filename.replace(/["\\\r\n]/g, '_')}"` }
          : {}),
      };
      return new Response(toStream(body), { status: 200, headers });
    })
    .put('/:kind/:sha256', async (c) => {
      const grant = verifier.verify('PUT', new URL(c.req.url), now());
      const bytes = grant.bytes ?? 0;
      const declared = c.req.header('content-length');
      if (declared !== undefined && Number(declared) !== bytes) {
        const error = Number(declared) > bytes ? TooLargeError : ValidationError;
        throw new error('UPLOAD.SIZE_MISMATCH', `upload must be exactly ${bytes} bytes, got ${declared}`);
      }
      const stream = c.req.raw.body ?? new ReadableStream<Uint8Array>({ start: (ctl) => ctl.close() });
      try {
        const { created, repaired } = await blobs.put('dataset', grant.sha256, capped(stream, bytes), bytes);
        if (repaired) {
          // The address held damaged bytes and now holds these: new content, so 201, and audited.
          await lineage.appendAudit({
            id: randomUUID(),
            at: now().toISOString(),
            actor: SIGNED_URL_ACTOR,
            action: 'blob.repair',
            target: `dataset:${grant.sha256}`,
            requestId: c.get('requestId'),
            details: { bytes },
          });
        }
        return c.body(null, created || repaired ? 201 : 200);
      } catch (err) {
        // The uploader sent the wrong bytes: their mistake, not storage corruption.
        if (err instanceof IntegrityError) {
          throw new ValidationError('UPLOAD.HASH_MISMATCH', `uploaded bytes do not hash to ${grant.sha256}`, {
            cause: err,
          });
        }
        throw err;
      }
    });
}

/** Stops a body that sends more than the grant allows, before the excess reaches the disk. */
async function* capped(body: AsyncIterable<Uint8Array>, limit: number): AsyncIterable<Uint8Array> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.byteLength;
    if (seen > limit)
      throw new TooLargeError('UPLOAD.SIZE_MISMATCH', `upload exceeds the ${limit} bytes it was signed for`);
    yield chunk;
  }
}

function toStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
