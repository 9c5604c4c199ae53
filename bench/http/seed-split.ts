import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createClient } from '../../functions/client/index.js';

/** What the load targets: one frozen split and an alias pointing at it. */
export interface SeededSplit {
  readonly manifestId: string;
  readonly alias: string;
}

/** Uploads a dataset, freezes an 80/10/10 random split and points an alias at it, over HTTP. */
export async function seedSplit(url: string, file: string, alias = 'bench'): Promise<SeededSplit> {
  const client = createClient({ url });
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const created = await client.createDataset({ sha256, bytes: bytes.byteLength, name: 'bench.csv' });
  if (created.upload) await client.uploadDataset(created.upload, Readable.from([bytes]), bytes.byteLength);
  const spec = { strategy: 'random', seed: 1, ratios: { train: 0.8, validation: 0.1, test: 0.1 } } as const;
  let outcome = await client.freeze({ dataset: sha256, spec }, 30);
  if (outcome.state === 'pending') {
    await client.waitForJob(outcome.job.id);
    outcome = await client.freeze({ dataset: sha256, spec }, 30);
  }
  if (outcome.state !== 'done')
    throw new Error(`freezing the benchmark split did not finish: job ${outcome.job.id}`);
  await client.setAlias(alias, { manifestId: outcome.manifest.id, reason: 'HTTP benchmark' });
  return { manifestId: outcome.manifest.id, alias };
}
