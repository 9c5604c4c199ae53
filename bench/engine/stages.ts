import { createHash } from 'node:crypto';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { assignSplits } from '../../functions/core/split/assign.js';
import { describeArtifacts, encodeSplits } from '../../functions/core/split-dataset.js';
import type { SplitSpec } from '../../schemas/spec.js';
import type { SplitRows } from './case-result.js';

const CHUNK = 1 << 30;

/** Lower-case hex SHA-256, as the engine addresses datasets and artifacts. */
export function sha256Hex(bytes: Uint8Array): string {
  const hash = createHash('sha256');
  // Hash.update refuses inputs over 2 GiB in one call; a 10M-row CSV is bigger than that.
  for (let at = 0; at < bytes.length; at += CHUNK) hash.update(bytes.subarray(at, at + CHUNK));
  return hash.digest('hex');
}

/** Wall and CPU seconds of one stage; CPU (all threads of this process) is what a busy machine can't inflate. */
export interface StageTime {
  readonly wall: number;
  readonly cpu: number;
}

function clock() {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return (): StageTime => {
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - wall) / 1e9, cpu: (used.user + used.system) / 1e6 };
  };
}

function timed<T>(run: () => T): [T, StageTime] {
  const stop = clock();
  const value = run();
  return [value, stop()];
}

/**
 * Times the engine's stages one after the other on the same bytes, with the functions
 * splitDataset itself composes: addressing the source, ingest, assign, encode (write) and hash.
 */
export async function timeStages(bytes: Uint8Array, spec: SplitSpec) {
  const [, address] = timed(() => sha256Hex(bytes));
  const stopIngest = clock();
  const { schema, rows, columns } = await ingestColumns(bytes, {
    format: spec.format,
    delimiter: spec.delimiter,
    schema: spec.schema,
  });
  const ingestTime = stopIngest();
  const [indices, assign] = timed(() => assignSplits(columns, rows, spec));
  const [artifacts, encode] = timed(() => encodeSplits({ schema }, columns, indices));
  const [splits, hash] = timed(() => describeArtifacts(artifacts, indices));
  const times: Record<string, StageTime> = { address, ingest: ingestTime, assign, encode, hash };
  return { times, splits: splits as SplitRows };
}
