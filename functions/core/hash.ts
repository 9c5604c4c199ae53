import { createHash } from 'node:crypto';

// Node's Hash.update refuses more than 2 GiB in one call; a large train split can exceed it.
const CHUNK = 1 << 30;

/** Lower-case hex SHA-256 of bytes: the address of datasets, split files and manifests. */
export function sha256Hex(bytes: Uint8Array | string): string {
  const hash = createHash('sha256');
  if (typeof bytes === 'string' || bytes.byteLength <= CHUNK) return hash.update(bytes).digest('hex');
  for (let offset = 0; offset < bytes.byteLength; offset += CHUNK) {
    hash.update(bytes.subarray(offset, offset + CHUNK));
  }
  return hash.digest('hex');
}
