import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { IntegrityError, TooLargeError, ValidationError } from '../../core/errors.js';
import type { BlobStore, LineageStore, SignedUrlVerifier } from '../../core/ports.js';
import { blobResponse } from '../blob-response.js';
import type { AppEnv } from '../context.js';

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
    .get('/:kind/:sha256', async (c) =>
      blobResponse(c, blobs, verifier.verify('GET', new URL(c.req.url), now())),
    )
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
