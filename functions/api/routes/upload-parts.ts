import { Hono } from 'hono';
import { TooLargeError, ValidationError } from '../../core/errors.js';
import type { AppEnv } from '../context.js';
import type { EmbeddedUploads } from '../deps.js';

/**
 * The embedded backend's part URLs (S3 serves them on AWS). The signature is the only
 * credential: it names the upload, the part, its size and its SHA-256, and that is all a
 * request may store.
 */
export function uploadPartRoutes(
  parts: NonNullable<EmbeddedUploads['parts']>,
  now: () => Date,
): Hono<AppEnv> {
  return new Hono<AppEnv>().put('/:id/:number', async (c) => {
    const grant = parts.verifier.verify(new URL(c.req.url), now());
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) !== grant.bytes) {
      const error = Number(declared) > grant.bytes ? TooLargeError : ValidationError;
      throw new error('UPLOAD.SIZE_MISMATCH', `part must be exactly ${grant.bytes} bytes, got ${declared}`);
    }
    const stream = c.req.raw.body ?? new ReadableStream<Uint8Array>({ start: (ctl) => ctl.close() });
    await parts.put(grant, stream);
    return c.body(null, 200);
  });
}
