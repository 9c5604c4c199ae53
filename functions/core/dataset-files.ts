import type { DatasetFileRef } from '../../schemas/dataset-file.js';
import { canonicalJson } from './canonical-json.js';
import { concatBytes } from './concat-bytes.js';
import { sha256Hex } from './hash.js';

/** The type tag of a file list's description; a new description gets a new tag. */
export const FILE_LIST_TYPE = 'splitvault.dataset-files.v1';

/**
 * The byte that starts a file list's description. 0xFF never occurs in UTF-8, starts no
 * Parquet or Arrow file, and starts an Arrow stream only as FF FF FF FF (the description goes
 * on with `{"`): no dataset file that ingest accepts has these bytes, so a file list's address
 * can't be the address of a file that could be frozen on its own (docs/SPLIT-SPEC.md §7.1).
 */
const DOMAIN_BYTE = 0xff;

/**
 * The canonical description of an ordered file list (docs/SPLIT-SPEC.md §7.1): the byte 0xFF,
 * then the RFC 8785 JSON text of `{"files":[{"bytes":…,"sha256":…},…],"type":…}`.
 */
export function fileListDescription(files: readonly DatasetFileRef[]): Uint8Array {
  const text = canonicalJson({
    type: FILE_LIST_TYPE,
    files: files.map((file) => ({ sha256: file.sha256, bytes: file.bytes })),
  });
  return concatBytes([Uint8Array.of(DOMAIN_BYTE), new TextEncoder().encode(text)]);
}

/**
 * The address of a dataset made of these files in this order. One file is its own address,
 * so a one-file dataset keeps the id it always had.
 */
export function datasetAddress(files: readonly DatasetFileRef[]): string {
  if (files.length === 1) return files[0]!.sha256;
  return sha256Hex(fileListDescription(files));
}
