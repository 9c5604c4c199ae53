import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from './api-error.js';

export interface UploadTarget {
  readonly url: string;
  readonly method: 'GET' | 'PUT';
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * PUTs bytes to a presigned URL. Uses node:http rather than fetch because presigned S3 PUTs
 * need an explicit Content-Length, which fetch drops for streamed bodies.
 */
export async function uploadToPresigned(
  target: UploadTarget,
  body: Readable,
  bytes: number,
  onProgress?: (sent: number) => void,
): Promise<void> {
  const url = new URL(target.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(url, {
    method: target.method,
    headers: { ...target.headers, 'content-length': String(bytes) },
  });
  const answered = new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  let sent = 0;
  body.on('data', (chunk: Buffer) => {
    sent += chunk.length;
    onProgress?.(sent);
  });
  await pipeline(body, req);
  const response = await answered;
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const status = response.statusCode ?? 0;
  // S3 presigned PUTs carry If-None-Match: *, so 412 means the object is already stored, by a
  // concurrent upload or an earlier attempt of this one; the URL's signed checksum held for it too.
  if (status === 412 && target.method === 'PUT') return;
  if (status < 200 || status >= 300) {
    const text = Buffer.concat(chunks).toString('utf8');
    throw await ApiError.fromResponse(
      new Response(text, { status, statusText: response.statusMessage ?? '' }),
    );
  }
}
