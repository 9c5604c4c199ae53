import { Hono } from 'hono';
import { BlobRefParam } from '../../../schemas/api.js';
import { NotFoundError } from '../../core/errors.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { downloadQuery, respondWithDownload } from '../download.js';
import { readParams } from '../request.js';
import { resolveBlobRef } from '../resolve-id.js';

/**
 * Any stored bytes by hash or by a unique prefix of 8+ hex characters: a split artifact
 * first, else an uploaded dataset.
 */
export function artifactRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:sha256', async (c) => {
    const params = readParams(c, BlobRefParam);
    downloadQuery(c);
    const sha256 = await resolveBlobRef(deps.catalog, params.sha256);
    const info = (await deps.blobs.head('artifact', sha256)) ?? (await deps.blobs.head('dataset', sha256));
    if (!info) throw new NotFoundError('BLOB.NOT_FOUND', `nothing is stored under ${sha256}`);
    return respondWithDownload(c, deps.blobs, deps.presignSeconds, {
      kind: info.kind,
      sha256,
      bytes: info.bytes,
    });
  });
}
