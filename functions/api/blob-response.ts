import type { Context } from 'hono';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { BlobKind, BlobStore, SignedGrant } from '../core/ports.js';
import { parseByteRange } from './byte-range.js';
import type { AppEnv } from './context.js';

const MEDIA_TYPES: Readonly<Record<BlobKind, string>> = {
  dataset: 'application/octet-stream',
  artifact: 'application/vnd.apache.arrow.file',
  identities: 'application/octet-stream',
  leakage: 'application/json',
};

/**
 * Answers a verified signed GET or HEAD the way S3 answers its presigned URLs, so readers that
 * fetch parts of a file (polars.read_ipc, pyarrow's and fsspec's HTTP file systems) work on
 * both backends: a strong ETag (the address itself: the bytes can never change), Accept-Ranges,
 * 206 for one range streamed from disk (memory stays bounded by the stream's chunk size), 416
 * for a range past the end. If-Range with another ETag gets the whole body, as the RFC says.
 */
export async function blobResponse(
  c: Context<AppEnv>,
  blobs: BlobStore,
  grant: SignedGrant,
): Promise<Response> {
  const info = await blobs.head(grant.kind, grant.sha256);
  if (!info) throw new NotFoundError('BLOB.NOT_FOUND', `no ${grant.kind} stored under ${grant.sha256}`);
  const etag = `"${grant.sha256}"`;
  const headers: Record<string, string> = {
    'content-type': MEDIA_TYPES[grant.kind],
    'cache-control': 'private, max-age=31536000, immutable',
    'accept-ranges': 'bytes',
    etag,
    ...(grant.filename
      ? { 'content-disposition': `attachment; filename="${grant.filename.replace(/["\\\r\n]/g, '_')}"` }
      : {}),
  };
  const ifRange = c.req.header('if-range');
  const range =
    ifRange === undefined || ifRange === etag ? parseByteRange(c.req.header('range'), info.bytes) : undefined;
  if (range === 'unsatisfiable') {
    c.header('content-range', `bytes */${info.bytes}`);
    throw new ValidationError(
      'BLOB.RANGE_NOT_SATISFIABLE',
      `range ${c.req.header('range')} is outside the ${info.bytes} bytes of this blob`,
    );
  }
  const status = range ? 206 : 200;
  headers['content-length'] = String(range ? range.end - range.start + 1 : info.bytes);
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.bytes}`;
  if (c.req.method === 'HEAD') return new Response(null, { status, headers });
  const body = await blobs.open(grant.kind, grant.sha256, range);
  return new Response(toStream(body), { status, headers });
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
