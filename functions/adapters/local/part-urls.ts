/**
 * HMAC-signed URLs for the parts of an embedded multipart upload:
 * /v1/upload-parts/{id}/{number}?sha256=..&bytes=..&expires=..&sig=..
 * The MAC covers the method, the path and every query parameter, as for blob URLs
 * (./signed-urls.ts); the path differs, so one kind of URL can never pass as the other.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '../../core/errors.js';
import type { PartGrant, PartUrlVerifier } from '../../core/upload/ports.js';

const PATH = /\/v1\/upload-parts\/([A-Za-z0-9_-]{16,200})\/([1-9][0-9]{0,4})$/;
const PARAMS = ['bytes', 'expires', 'sha256', 'sig'];

/** Signs and verifies part URLs with the server's URL-signing secret. */
export class HmacPartUrlSigner implements PartUrlVerifier {
  readonly #base: string;
  readonly #secret: Uint8Array;

  constructor(options: { readonly publicBaseUrl: string; readonly secret: Uint8Array }) {
    if (options.secret.byteLength < 32) {
      throw new RangeError(`signing secret must be at least 32 bytes, got ${options.secret.byteLength}`);
    }
    this.#base = options.publicBaseUrl.replace(/\/+$/, '');
    this.#secret = options.secret;
  }

  sign(grant: PartGrant, expires: number): string {
    const path = `/v1/upload-parts/${grant.uploadId}/${grant.number}`;
    const query = new URLSearchParams({
      bytes: String(grant.bytes),
      expires: String(expires),
      sha256: grant.sha256,
    });
    query.set('sig', this.#mac(path, query).toString('hex'));
    return `${this.#base}${path}?${query.toString()}`;
  }

  verify(url: URL, now: Date): PartGrant {
    const match = PATH.exec(url.pathname);
    const keys = [...url.searchParams.keys()].sort();
    const given = url.searchParams.get('sig') ?? '';
    if (!match || keys.join(',') !== PARAMS.join(',') || !/^[0-9a-f]{64}$/.test(given)) throw invalid(url);
    const [, uploadId, number] = match as unknown as [string, string, string];
    const expected = this.#mac(`/v1/upload-parts/${uploadId}/${number}`, url.searchParams);
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) throw invalid(url);
    const expires = Number(url.searchParams.get('expires'));
    if (!Number.isInteger(expires) || now.getTime() / 1000 > expires) {
      throw new ForbiddenError('URL.EXPIRED', `signed URL for ${url.pathname} expired at ${expires}`);
    }
    const sha256 = url.searchParams.get('sha256') ?? '';
    const bytes = Number(url.searchParams.get('bytes'));
    if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isSafeInteger(bytes) || bytes < 0) throw invalid(url);
    return { uploadId, number: Number(number), sha256, bytes };
  }

  #mac(path: string, query: URLSearchParams): Buffer {
    const pairs = [...query.entries()]
      .filter(([key]) => key !== 'sig')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    return createHmac('sha256', this.#secret)
      .update(`PUT\n${path}\n${pairs.join('&')}`)
      .digest();
  }
}

function invalid(url: URL): ForbiddenError {
  return new ForbiddenError('URL.INVALID_SIGNATURE', `signed URL for ${url.pathname} does not check out`);
}
