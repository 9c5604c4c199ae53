/**
 * The SHA-256 checksums S3 keeps for an object, and how to tell whether they prove that the
 * object holds the bytes of an address. A single PUT with x-amz-checksum-sha256 gets a
 * FULL_OBJECT checksum: the SHA-256 of the whole object, which is the address itself. A
 * multipart object gets a COMPOSITE one: SHA-256 over the concatenated SHA-256 digests of its
 * parts, suffixed with "-<part count>". S3 verifies each part's digest on upload, so the
 * composite binds the object to exactly those parts; whoever holds the bytes can recompute it
 * for our fixed part size and compare. The `sha256` object metadata is set by the writer and
 * proves nothing, so nothing here reads it.
 */
import { createHash } from 'node:crypto';
import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { mismatch } from '../common/verify-bytes.js';

/** 8 MiB parts: above S3's 5 MiB minimum, and what we hold in memory at once. */
export const PART_BYTES = 8 * 1024 * 1024;

/** SHA-256 of the whole body and of each PART_BYTES part, as the body streams past. */
export class PartHasher {
  readonly #whole = createHash('sha256');
  readonly #parts: Buffer[] = [];
  #part = createHash('sha256');
  #filled = 0;
  #total = 0;
  #closed = false;

  update(chunk: Uint8Array): void {
    this.#whole.update(chunk);
    this.#total += chunk.byteLength;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(PART_BYTES - this.#filled, chunk.byteLength - offset);
      this.#part.update(chunk.subarray(offset, offset + take));
      this.#filled += take;
      offset += take;
      if (this.#filled === PART_BYTES) this.#closePart();
    }
  }

  /**
   * Adds one whole part (PART_BYTES, or the last and shorter one) at a part boundary and
   * answers its raw digest, so an upload can send it as the part's checksum without hashing
   * the part twice.
   */
  updatePart(part: Uint8Array): Buffer {
    if (this.#filled !== 0 || part.byteLength > PART_BYTES) {
      throw new Error(
        `a part of ${part.byteLength} bytes at ${this.#filled} into a part is not a whole part`,
      );
    }
    this.#whole.update(part);
    this.#total += part.byteLength;
    const digest = createHash('sha256').update(part).digest();
    this.#parts.push(digest);
    // A short part can only be the last: digest() must not close another one after it.
    this.#filled = 0;
    if (part.byteLength < PART_BYTES) this.#closed = true;
    return digest;
  }

  /** The hex SHA-256, the byte count and the composite checksum S3 would report. */
  digest(): { readonly sha256: string; readonly bytes: number; readonly composite: string } {
    if (!this.#closed && (this.#filled > 0 || this.#parts.length === 0)) this.#closePart();
    return {
      sha256: this.#whole.digest('hex'),
      bytes: this.#total,
      composite: compositeChecksum(this.#parts),
    };
  }

  #closePart(): void {
    this.#parts.push(this.#part.digest());
    this.#part = createHash('sha256');
    this.#filled = 0;
  }
}

/** S3's COMPOSITE SHA-256 of an object made of parts with these raw digests. */
export function compositeChecksum(partDigests: readonly Uint8Array[]): string {
  const combined = createHash('sha256').update(Buffer.concat(partDigests)).digest('base64');
  return `${combined}-${partDigests.length}`;
}

/** What S3's own checksum says about the stored object, given the address and our composite. */
export function checksumVerdict(
  output: Pick<HeadObjectCommandOutput, 'ChecksumSHA256' | 'ChecksumType'>,
  sha256: string,
  composite?: string,
): 'match' | 'mismatch' | 'unknown' {
  const stored = output.ChecksumSHA256;
  if (stored === undefined) return 'unknown';
  if (output.ChecksumType === 'COMPOSITE' || /-\d+$/.test(stored)) {
    if (composite === undefined) return 'unknown';
    return stored === composite ? 'match' : 'mismatch';
  }
  return Buffer.from(stored, 'base64').toString('hex') === sha256 ? 'match' : 'mismatch';
}

/** The version id to pin, if the bucket keeps versions ('null' is S3's "unversioned"). */
export function versionOf(output: HeadObjectCommandOutput | undefined): string | undefined {
  const id = output?.VersionId;
  return id === undefined || id === 'null' ? undefined : id;
}

/** Hashes a body by parts; with an expected address and size, refuses any other bytes. */
export async function hashParts(
  body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  sha256: string | undefined,
  bytes: number | undefined,
): Promise<{ readonly sha256: string; readonly composite: string }> {
  const hasher = new PartHasher();
  for await (const chunk of body) hasher.update(chunk);
  const actual = hasher.digest();
  if (sha256 !== undefined && bytes !== undefined && (actual.sha256 !== sha256 || actual.bytes !== bytes)) {
    throw mismatch(sha256, bytes, actual.sha256, actual.bytes);
  }
  return actual;
}
