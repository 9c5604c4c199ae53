import { createHash, randomBytes } from 'node:crypto';

/** The small CSV one smoke run uploads, and what the run is called. */
export interface SmokeData {
  /** `smoke-<UTC timestamp>-<random>`: the alias the run owns, and the dataset's name. */
  readonly runId: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * 120 rows whose text carries the run id, so every run registers and uploads a dataset the
 * service has never seen: a rerun can't pass on an upload an earlier run made.
 */
export function smokeData(now: Date = new Date()): SmokeData {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'z')
    .toLowerCase();
  const runId = `smoke-${stamp}-${randomBytes(3).toString('hex')}`;
  const lines = ['id,label,value,run'];
  for (let row = 0; row < 120; row++)
    lines.push(`${row},${['cat', 'dog', 'bird'][row % 3]},${(row * 7) % 101},${runId}`);
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return { runId, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
