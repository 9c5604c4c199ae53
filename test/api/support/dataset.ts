import { createHash } from 'node:crypto';
import type { LineageStore } from '../../../functions/core/ports.js';

export interface DatasetBytes {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly rows: number;
}

/** A small CSV whose content (and so hash) depends on `variant`. */
export function csvDataset(rows: number, variant = 0): DatasetBytes {
  const lines = ['id,label,value'];
  for (let i = 0; i < rows; i += 1) lines.push(`${i},${i % 3 === 0 ? 'a' : 'b'},${(i * 7 + variant) % 101}`);
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rows };
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const RANDOM_SPEC = {
  strategy: 'random',
  seed: 7,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: 'csv',
} as const;

/**
 * Records a queued freeze of `dataset` with RANDOM_SPEC, by 'tester' at `at`, as POST /v1/splits
 * would, for tests that then deliver it to the worker themselves. Answers `id`.
 */
export async function createQueuedFreeze(
  lineage: Pick<LineageStore, 'createJob'>,
  id: string,
  dataset: string,
  at: Date,
): Promise<string> {
  const stamp = at.toISOString();
  await lineage.createJob({
    id,
    kind: 'freeze',
    state: 'queued',
    createdAt: stamp,
    updatedAt: stamp,
    actor: 'tester',
    input: { dataset, spec: RANDOM_SPEC, requestId: `req-${id}` },
  });
  return id;
}
