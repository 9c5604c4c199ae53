/**
 * Hashes a body and refuses it unless it matches its address and declared size. Stores use
 * it where the backend itself won't look at the bytes (e.g. S3 answers 412 for an existing
 * key before it checks the checksum), so "already stored" is never said of wrong bytes.
 */
import { createHash } from 'node:crypto';
import { IntegrityError } from '../../core/errors.js';

export async function assertBytesMatch(
  body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  sha256: string,
  bytes: number,
): Promise<void> {
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    total += chunk.byteLength;
  }
  const actual = hash.digest('hex');
  if (actual !== sha256 || total !== bytes) throw mismatch(sha256, bytes, actual, total);
}

/** The one wording of a hash or size mismatch, shared by every store. */
export function mismatch(sha256: string, bytes: number, actual: string, total: number): IntegrityError {
  return new IntegrityError(
    `bytes hash to ${actual} (${total} bytes), not the declared ${sha256} (${bytes} bytes)`,
    {
      details: { expected: sha256, actual, expectedBytes: bytes, actualBytes: total },
    },
  );
}
