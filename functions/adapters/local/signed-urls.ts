/**
 * HMAC-SHA256 signed blob URLs for the embedded backend, which serves its own downloads and
 * uploads at /v1/blobs/{kind}/{sha256}. The signature covers the method, the path and every
 * query parameter, so changing any of them (or adding one) invalidates the URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '../../core/errors.js';
import type { BlobKind, SignedGrant, SignedUrlVerifier } from '../../core/ports.js';
import { assertKind, assertSha256 } from '../common/blob-address.js';

export interface HmacUrlSignerOptions {
  /** Where clients reach the server, e.g. http://127.0.0.1:8787 (a path prefix is allowed). */
  readonly publicBaseUrl: string;
  /** At least 32 bytes of secret key material. */
  readonly secret: Uint8Array;
}

const PATH = /\/v1\/blobs\/(dataset|artifact)\/([0-9a-f]{64})$/;
const ALLOWED_PARAMS: Readonly<Record<'GET' | 'PUT', ReadonlySet<string>>> = {
  GET: new Set(['expires', 'filename', 'sig']),
  PUT: new Set(['bytes', 'expires', 'sig']),
};

/** Signs and verifies the embedded store's URLs; hand the same secret to both sides. */
export class HmacUrlSigner implements SignedUrlVerifier {
  readonly #base: string;
  readonly #secret: Uint8Array;

  constructor(options: HmacUrlSignerOptions) {
    if (options.secret.byteLength < 32) {
      throw new RangeError(`signing secret must be at least 32 bytes, got ${options.secret.byteLength}`);
    }
    this.#base = options.publicBaseUrl.replace(/\/+$/, '');
    this.#secret = options.secret;
  }

  /** A signed URL; `params` are the grant's query parameters other than the signature. */
  sign(method: 'GET' | 'PUT', kind: BlobKind, sha256: string, params: Record<string, string>): string {
    assertKind(kind);
    assertSha256(sha256);
    const path = `/v1/blobs/${kind}/${sha256}`;
    const query = new URLSearchParams(params);
    query.set('sig', this.#mac(method, path, query).toString('hex'));
    return `${this.#base}${path}?${query.toString()}`;
  }

  verify(method: 'GET' | 'PUT', url: URL, now: Date): SignedGrant {
    const match = PATH.exec(url.pathname);
    const given = url.searchParams.get('sig') ?? '';
    const extra = [...url.searchParams.keys()].filter((key) => !ALLOWED_PARAMS[method].has(key));
    if (!match || extra.length > 0 || !/^[0-9a-f]{64}$/.test(given)) throw invalid(url);
    const [, kind, sha256] = match as unknown as [string, BlobKind, string];
    const expected = this.#mac(method, `/v1/blobs/${kind}/${sha256}`, url.searchParams);
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) throw invalid(url);
    const expires = Number(url.searchParams.get('expires'));
    if (!Number.isInteger(expires) || now.getTime() / 1000 > expires) {
      throw new ForbiddenError('URL.EXPIRED', `signed URL for ${url.pathname} expired at ${expires}`);
    }
    if (method === 'GET') {
      const filename = url.searchParams.get('filename');
      return { method, kind, sha256, ...(filename === null ? {} : { filename }) };
    }
    const bytes = Number(url.searchParams.get('bytes'));
    if (kind !== 'dataset' || !Number.isSafeInteger(bytes) || bytes < 0) throw invalid(url);
    return { method, kind, sha256, bytes };
  }

  /** Canonical string: method, path, then the non-signature parameters sorted by name. */
  #mac(method: string, path: string, query: URLSearchParams): Buffer {
    const pairs = [...query.entries()]
      .filter(([key]) => key !== 'sig')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    return createHmac('sha256', this.#secret)
      .update(`${method}\n${path}\n${pairs.join('&')}`)
      .digest();
  }
}

function invalid(url: URL): ForbiddenError {
  return new ForbiddenError('URL.INVALID_SIGNATURE', `signed URL for ${url.pathname} does not check out`);
}
