import { createHash } from 'node:crypto';
import { ingest } from '../../functions/core/ingest/index.js';
import { assignTable, describeArtifacts, encodeSplits } from '../../functions/core/split-dataset.js';
import type { SplitSpec } from '../../schemas/spec.js';
import type { SplitRows } from './case-result.js';

/** Lower-case hex SHA-256, as the engine addresses datasets and artifacts. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function timed<T>(run: () => T): [T, number] {
  const started = process.hrtime.bigint();
  const value = run();
  return [value, Number(process.hrtime.bigint() - started) / 1e9];
}

/**
 * Times the engine's stages one after the other on the same bytes, with the functions
 * splitDataset itself composes: addressing the source, ingest, assign, encode (write) and hash.
 */
export async function timeStages(bytes: Uint8Array, spec: SplitSpec) {
  const [, address] = timed(() => sha256Hex(bytes));
  const started = process.hrtime.bigint();
  const { table } = await ingest(bytes, {
    format: spec.format,
    delimiter: spec.delimiter,
    schema: spec.schema,
  });
  const ingestSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [{ columns, indices }, assign] = timed(() => assignTable(table, spec));
  const [artifacts, encode] = timed(() => encodeSplits(table, columns, indices));
  const [splits, hash] = timed(() => describeArtifacts(artifacts, indices));
  const seconds = { address, ingest: ingestSeconds, assign, encode, hash };
  return { seconds, splits: splits as SplitRows };
}
