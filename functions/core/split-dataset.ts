import type { SplitName } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';
import type { SplitSpec } from '../../schemas/spec.js';

/** The three split files and the manifest that names them. */
export interface SplitOutcome {
  readonly manifest: Manifest;
  /** Arrow IPC file bytes; manifest.splits[name].sha256 is the SHA-256 of each. */
  readonly artifacts: Readonly<Record<SplitName, Uint8Array>>;
}

/** What the caller already knows about the source bytes (their address). */
export interface DatasetRef {
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * The whole engine as one pure function: ingest, assign, encode, hash, manifest.
 * Throws DatasetError / ValidationError with stable codes for bad data or specs.
 */
export async function splitDataset(
  _source: Uint8Array,
  _dataset: DatasetRef,
  _spec: SplitSpec,
): Promise<SplitOutcome> {
  // Placeholder contract while the engine lands (issue 3); replaced, never shipped.
  throw new Error('splitDataset is not implemented yet');
}
