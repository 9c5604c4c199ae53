import { createHash } from 'node:crypto';
import { ingest } from '../../functions/core/ingest/index.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
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

async function timedAsync<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await run();
  return [value, Number(process.hrtime.bigint() - started) / 1e9];
}

/**
 * Times the engine's stages one by one on the same bytes: addressing the source, ingest, the whole
 * split, and hashing the three artifacts again on their own. Assign+encode is what the split takes
 * beyond ingest and hashing.
 */
export async function timeStages(bytes: Uint8Array, spec: SplitSpec) {
  const [sha256, address] = timed(() => sha256Hex(bytes));
  const [, ingestSeconds] = await timedAsync(async () => ingest(bytes, { format: spec.format }));
  const [outcome, split] = await timedAsync(() =>
    splitDataset(bytes, { sha256, bytes: bytes.byteLength }, spec),
  );
  const [, hash] = timed(() => SPLIT_NAMES.map((name) => sha256Hex(outcome.artifacts[name])));
  const seconds = {
    address,
    ingest: ingestSeconds,
    assignEncode: Math.max(0, split - ingestSeconds - hash),
    hash,
    split,
  };
  const splits: SplitRows = outcome.manifest.splits;
  return { seconds, splits };
}
