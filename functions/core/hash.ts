import { createHash } from 'node:crypto';

// Node's Hash.update refuses more than 2 GiB in one call; a large train split can exceed it.
const CHUNK = 1 << 30;

/** Lower-case hex SHA-256 of bytes: the address of datasets, split files and manifests. */
export function sha256Hex(bytes: Uint8Array | string): string {
  const hash = createHash('sha256');
  if (typeof bytes === 'string') return hash.update(bytes).digest('hex');
  return sha256Stream().update(bytes).hex();
}

/** SHA-256 over bytes that arrive in pieces (a split file as SplitFileWriter hands it out): one sequential pass. */
export interface Sha256Stream {
  update(bytes: Uint8Array): Sha256Stream;
  /** Lower-case hex digest of everything passed to update, as sha256Hex of their concatenation. */
  hex(): string;
}

export function sha256Stream(): Sha256Stream {
  const hash = createHash('sha256');
  const stream: Sha256Stream = {
    update(bytes) {
      for (let offset = 0; offset < bytes.byteLength; offset += CHUNK) {
        hash.update(bytes.subarray(offset, offset + CHUNK));
      }
      return stream;
    },
    hex: () => hash.digest('hex'),
  };
  return stream;
}
