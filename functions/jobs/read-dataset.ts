import type { DatasetFileRecord, DatasetFileRef } from '../../schemas/dataset-file.js';
import type { SplitSpec } from '../../schemas/spec.js';
import { datasetAddress } from '../core/dataset-files.js';
import { NotFoundError } from '../core/errors.js';
import type { BlobStore } from '../core/ports.js';
import { type SplitOptions, type SplitOutcome, splitDataset, splitFiles } from '../core/split-dataset.js';
import { readBlob } from './read-blob.js';

/** A dataset's address, and its files when it has more than one (docs/SPLIT-SPEC.md §7). */
export interface DatasetAddress {
  readonly sha256: string;
  readonly bytes: number;
  readonly files?: readonly DatasetFileRecord[] | undefined;
}

/** A dataset's bytes as read from the blob store, file by file in row order. */
export interface DatasetSource {
  readonly parts: readonly Uint8Array[];
  /** The address of what was read: the file list rebuilt from each file's actual hash. */
  readonly sha256: string;
  readonly bytes: number;
  /** Each file whose bytes hash to another address than its own. */
  readonly damaged: readonly { readonly sha256: string; readonly actual: string }[];
}

/**
 * Reads every file of a dataset, one after the other (rows are in file order, and the engine
 * holds them all anyway), hashing each as it streams. A missing file throws NotFoundError with
 * `details.sha256` naming it.
 */
export async function readDataset(blobs: BlobStore, dataset: DatasetAddress): Promise<DatasetSource> {
  const files: readonly DatasetFileRef[] = dataset.files ?? [
    { sha256: dataset.sha256, bytes: dataset.bytes },
  ];
  const parts: Uint8Array[] = [];
  const actual: DatasetFileRef[] = [];
  const damaged: { sha256: string; actual: string }[] = [];
  for (const file of files) {
    const read = await readBlob(blobs, 'dataset', file.sha256).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
      throw new NotFoundError(error.code, error.message, { cause: error, details: { sha256: file.sha256 } });
    });
    parts.push(read.bytes);
    actual.push({ sha256: read.sha256, bytes: read.bytes.byteLength });
    if (read.sha256 !== file.sha256) damaged.push({ sha256: file.sha256, actual: read.sha256 });
  }
  const bytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
  return { parts, sha256: datasetAddress(actual), bytes, damaged };
}

/** The engine on a dataset as read: one file, or the many-file engine on its parts. */
export function splitSource(
  source: DatasetSource,
  dataset: DatasetAddress,
  spec: SplitSpec,
  options: SplitOptions,
): Promise<SplitOutcome> {
  if (!dataset.files)
    return splitDataset(source.parts[0]!, { sha256: source.sha256, bytes: source.bytes }, spec, options);
  const files = dataset.files.map(({ sha256, bytes }) => ({ sha256, bytes }));
  return splitFiles(
    source.parts,
    { sha256: dataset.sha256, bytes: source.bytes, files },
    spec,
    options,
    dataset.files.map((file) => file.name),
  );
}
