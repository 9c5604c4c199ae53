import type { Context } from 'hono';
import { DownloadQuery } from '../../schemas/api.js';
import type { BlobKind, BlobStore } from '../core/ports.js';
import type { AppEnv } from './context.js';
import { readQuery } from './request.js';

export interface DownloadTarget {
  readonly kind: BlobKind;
  readonly sha256: string;
  readonly bytes: number;
  readonly rows?: number;
  readonly filename?: string;
}

/** Reads ?expiresIn= (capped at 12 h); routes call it first so a bad value is a 400, not a 404. */
export function downloadQuery(c: Context<AppEnv>) {
  return readQuery(c, DownloadQuery);
}

/**
 * Answers a download: 307 to the presigned URL, or its details as JSON when the client asks
 * for JSON (scripts that want the hash and size before fetching).
 */
export async function respondWithDownload(
  c: Context<AppEnv>,
  blobs: BlobStore,
  defaultSeconds: number,
  target: DownloadTarget,
): Promise<Response> {
  const { expiresIn } = downloadQuery(c);
  const presigned = await blobs.presignGet(target.kind, target.sha256, {
    expiresIn: expiresIn ?? defaultSeconds,
    ...(target.filename ? { filename: target.filename } : {}),
  });
  if (!/application\/json/i.test(c.req.header('accept') ?? '')) {
    c.header('cache-control', 'no-store');
    return c.redirect(presigned.url, 307);
  }
  return c.json({
    url: presigned.url,
    sha256: target.sha256,
    bytes: target.bytes,
    ...(target.rows === undefined ? {} : { rows: target.rows }),
    expiresAt: presigned.expiresAt,
  });
}
