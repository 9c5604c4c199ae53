/** Addresses of blobs, shared by the S3 and file-system stores so both use one layout. */
import { ValidationError } from '../../core/errors.js';
import type { BlobKind } from '../../core/ports.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Refuses anything but a lower-case hex SHA-256 before it becomes part of a key or path. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) {
    throw new ValidationError(
      'BLOB.INVALID_SHA256',
      `blob address ${JSON.stringify(sha256)} is not a SHA-256`,
    );
  }
}

/** The key of each kind of blob: the S3 key and the store-relative path alike. */
const KEYS: Readonly<Record<BlobKind, (sha256: string) => string>> = {
  dataset: (sha256) => `datasets/sha256/${sha256}`,
  artifact: (sha256) => `artifacts/sha256/${sha256}.arrow`,
  identities: (sha256) => `identities/sha256/${sha256}`,
  leakage: (sha256) => `leakage/sha256/${sha256}`,
};

export function assertKind(kind: string): asserts kind is BlobKind {
  if (!Object.hasOwn(KEYS, kind)) {
    throw new ValidationError(
      'BLOB.INVALID_KIND',
      `blob kind ${JSON.stringify(kind)} is not one of ${Object.keys(KEYS).join(', ')}`,
    );
  }
}

/**
 * `datasets/sha256/<hex>`, `artifacts/sha256/<hex>.arrow`, `identities/sha256/<hex>` or
 * `leakage/sha256/<hex>`: the S3 key and the relative path.
 */
export function blobKey(kind: BlobKind, sha256: string): string {
  assertKind(kind);
  assertSha256(sha256);
  return KEYS[kind](sha256);
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** RFC 6266 value with an ASCII fallback, so any file name survives the header. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
