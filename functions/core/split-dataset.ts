import type { Schema, Table } from 'apache-arrow';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { DatasetFileRef } from '../../schemas/dataset-file.js';
import type { Manifest, SplitArtifact, StickyReport } from '../../schemas/manifest.js';
import type { JobProgress } from '../../schemas/records.js';
import { IRRELEVANT_FIELD, type SplitSpec } from '../../schemas/spec.js';
import { encodeSplit } from './arrow/encode.js';
import { type FlatColumn, flattenTable } from './arrow/flat-column.js';
import { ValidationError } from './errors.js';
import { sha256Hex } from './hash.js';
import { type IngestedColumns, type IngestOptions, ingestColumns } from './ingest/index.js';
import { ingestParts } from './ingest/many.js';
import {
  type LeakageOutcome,
  leakageFacts,
  leakageOutcome,
  refuseCrossSplitDuplicates,
} from './leakage/report.js';
import { assignSticky, type StickyParent } from './leakage/sticky.js';
import { stickyUnknownColumn } from './leakage/sticky-identities.js';
import { checkStickyTypes } from './leakage/sticky-types.js';
import { buildManifest, classSharesOf, fieldInfos, normalizeSpec } from './manifest.js';
import { assignSplits, assignSplitsWithClasses, checkRowCount, collectSplits } from './split/assign.js';
import { checkSpecColumns } from './split/spec-columns.js';
import type { ClassCounts } from './split/stratified-group.js';
import type { SplitIndices } from './split/types.js';

/** The three split files and the manifest that names them. */
export interface SplitOutcome {
  readonly manifest: Manifest;
  /** Arrow IPC file bytes; manifest.splits[name].sha256 is the SHA-256 of each. */
  readonly artifacts: Readonly<Record<SplitName, Uint8Array>>;
  /** The leakage report and identity sets (§8.4); absent under `dedupe: "none"`. */
  readonly leakage?: LeakageOutcome;
}

/** What the caller already knows about the source bytes (their address). */
export interface DatasetRef {
  readonly sha256: string;
  readonly bytes: number;
}

/** Stage 2 (assign) on an ingested table; exposed so benchmarks can time stages apart. */
export function assignTable(table: Table, spec: SplitSpec): { columns: FlatColumn[]; indices: SplitIndices } {
  const columns = flattenTable(table);
  return { columns, indices: assignSplits(columns, table.numRows, spec) };
}

/** Stage 3 (write): one Arrow IPC file per split; only the table's schema is read. */
export function encodeSplits(
  table: Pick<Table, 'schema'>,
  columns: readonly FlatColumn[],
  indices: SplitIndices,
  onFile: (done: number) => void = () => undefined,
): Record<SplitName, Uint8Array> {
  const [train, validation, test] = SPLIT_NAMES.map((name, i) => {
    const bytes = encodeSplit(table.schema, columns, indices[name]);
    onFile(i + 1);
    return bytes;
  });
  return { train: train!, validation: validation!, test: test! };
}

/** Stage 4 (hash): the manifest entry of each split file. */
export function describeArtifacts(
  artifacts: Record<SplitName, Uint8Array>,
  indices: SplitIndices,
  onFile: (done: number) => void = () => undefined,
): Record<SplitName, SplitArtifact> {
  let done = 0;
  const entry = (name: SplitName): SplitArtifact => {
    const artifact = {
      sha256: sha256Hex(artifacts[name]),
      bytes: artifacts[name].byteLength,
      rows: indices[name].length,
    };
    done += 1;
    onFile(done);
    return artifact;
  };
  return { train: entry('train'), validation: entry('validation'), test: entry('test') };
}

/** Limits the engine applies to one freeze; the service passes its configuration in. */
export interface SplitOptions {
  /**
   * Bytes of decoded data ingest may allocate before it refuses the dataset with
   * DATASET.TOO_LARGE_DECODED (413). @default unlimited
   */
  readonly maxDecodedBytes?: number;
  /**
   * Told where the engine is: each of ingest (bytes), assign (rows), encode and hash (files)
   * starts at 0 done and ends with done = total. It only observes: the bytes are the same
   * with or without it. @default no reports
   */
  readonly onProgress?: (progress: JobProgress) => void;
  /**
   * Compute the leakage report the spec's `dedupe` asks for (§8.4). Verify turns it off: it
   * compares split files only, and the report costs more CPU than the rest of a freeze.
   * @default true
   */
  readonly leakage?: boolean;
  /**
   * A sticky re-freeze (docs/SPLIT-SPEC.md §8.5): rows the parent held keep its split, and the
   * manifest records the drift. @default an ordinary freeze
   */
  readonly sticky?: StickyParent;
}

/** How stage 1 reads the dataset: one file's bytes, or the parts of a many-file dataset. */
type Reader = (options: IngestOptions) => Promise<IngestedColumns>;

/** Stages 1 and 2: the dataset as flat columns (text left in the source), and each split's rows. */
async function ingestAndAssign(read: Reader, size: number, spec: SplitSpec, options: SplitOptions) {
  const report = options.onProgress ?? (() => undefined);
  report({ stage: 'ingest', done: 0, total: size });
  const { schema, rows, format, columns } = await read({
    format: spec.format,
    delimiter: spec.delimiter,
    schema: spec.schema,
    maxDecodedBytes: options.maxDecodedBytes,
    checkSchema: (found) => {
      checkSpecColumns(found.fields, spec);
      const by = options.sticky?.by;
      const names = found.fields.map((f) => f.name);
      if (by !== undefined && !names.includes(by)) throw stickyUnknownColumn(by, 'dataset', names);
      if (options.sticky) checkStickyTypes(options.sticky.fields, found.fields, by);
    },
  });
  // The request schema refuses a delimiter with a named non-CSV format; this catches the sniffed
  // one. A frozen spec always names its format, so verifying an older manifest never lands here.
  if (spec.format === undefined && spec.delimiter !== undefined && format !== 'csv') {
    throw new ValidationError(
      IRRELEVANT_FIELD,
      `the dataset is ${format}, which has no delimiter; leave delimiter out`,
      {
        details: { errors: [{ path: 'spec.delimiter', message: `format "${format}" has no delimiter` }] },
      },
    );
  }
  report({ stage: 'ingest', done: size, total: size });
  report({ stage: 'assign', done: 0, total: rows });
  const { indices, classes, sticky }: AssignedRows = options.sticky
    ? await assignStickySplits(schema, columns, rows, spec, options.sticky)
    : assignSplitsWithClasses(columns, rows, spec);
  report({ stage: 'assign', done: rows, total: rows });
  const classShares =
    classes &&
    classSharesOf(classes.keys, classes.counts, [
      indices.train.length,
      indices.validation.length,
      indices.test.length,
    ]);
  return { schema, rows, format, columns, indices, classShares, sticky };
}

interface AssignedRows {
  readonly indices: SplitIndices;
  readonly classes?: ClassCounts | undefined;
  readonly sticky?: StickyReport;
}

async function assignStickySplits(
  schema: Schema,
  columns: readonly FlatColumn[],
  rows: number,
  spec: SplitSpec,
  parent: StickyParent,
): Promise<AssignedRows> {
  checkRowCount(rows);
  const { splitOf, report, classes } = await assignSticky(schema, columns, rows, spec, parent);
  return { indices: collectSplits(splitOf, spec), classes, sticky: report };
}

/**
 * The whole engine as one pure function: ingest, assign, encode, hash, manifest.
 * Throws DatasetError / ValidationError with stable codes for bad data or specs.
 */
export async function splitDataset(
  source: Uint8Array,
  dataset: DatasetRef,
  spec: SplitSpec,
  options: SplitOptions = {},
): Promise<SplitOutcome> {
  const read: Reader = (ingestOptions) => ingestColumns(source, ingestOptions);
  return splitWith(read, source.byteLength, dataset, spec, options);
}

/** A many-file dataset: its address, and its files (address and size) in row order. */
export interface FilesDatasetRef extends DatasetRef {
  readonly files: readonly DatasetFileRef[];
}

/**
 * The engine on a many-file dataset (docs/SPLIT-SPEC.md §7): `parts[i]` holds the bytes of
 * `dataset.files[i]`. The split files are those of the one file the parts stand for; the
 * manifest's dataset records the files, so its id differs from that file's.
 */
export async function splitFiles(
  parts: readonly Uint8Array[],
  dataset: FilesDatasetRef,
  spec: SplitSpec,
  options: SplitOptions = {},
  names: readonly (string | undefined)[] = [],
): Promise<SplitOutcome> {
  const labels = dataset.files.map((file, i) => ({ sha256: file.sha256, name: names[i] }));
  const read: Reader = (ingestOptions) => ingestParts(parts, labels, ingestOptions);
  const size = parts.reduce((sum, part) => sum + part.byteLength, 0);
  return splitWith(read, size, dataset, spec, options);
}

async function splitWith(
  read: Reader,
  size: number,
  dataset: DatasetRef | FilesDatasetRef,
  spec: SplitSpec,
  options: SplitOptions,
): Promise<SplitOutcome> {
  const { schema, rows, format, columns, indices, classShares, sticky } = await ingestAndAssign(
    read,
    size,
    spec,
    options,
  );
  // From the columns already in memory, and before any file is encoded, so a refused freeze
  // costs no encoding and writes nothing.
  const wanted = spec.dedupe !== 'none' && options.leakage !== false;
  const leakage = wanted ? leakageFacts(columns, rows, indices, spec) : undefined;
  if (leakage && spec.dedupe === 'refuse') refuseCrossSplitDuplicates(leakage);
  const report = options.onProgress ?? (() => undefined);
  const files = SPLIT_NAMES.length;
  report({ stage: 'encode', done: 0, total: files });
  const artifacts = encodeSplits({ schema }, columns, indices, (done) =>
    report({ stage: 'encode', done, total: files }),
  );
  report({ stage: 'hash', done: 0, total: files });
  const splits = describeArtifacts(artifacts, indices, (done) =>
    report({ stage: 'hash', done, total: files }),
  );
  const manifest = buildManifest({
    dataset: {
      sha256: dataset.sha256,
      bytes: dataset.bytes,
      rows,
      format,
      schema: fieldInfos(schema),
      ...('files' in dataset ? { files: dataset.files.map(({ sha256, bytes }) => ({ sha256, bytes })) } : {}),
    },
    spec: normalizeSpec(spec, format),
    splits,
    ...(classShares ? { classShares } : {}),
    ...(sticky ? { sticky } : {}),
  });
  return { manifest, artifacts, ...(leakage ? { leakage: leakageOutcome(manifest, leakage) } : {}) };
}
