/**
 * The embedded server's composition: a job thread (thread-executor.ts) given
 * SPLITVAULT_WORKER_MEMORY and SPLITVAULT_WORKERS freezes a dataset past the budget on its own
 * shard threads, and records the one-process manifest.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/config.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { threadExecutor } from '../../../functions/handlers/thread-executor.js';
import { SpecRequest } from '../../../schemas/spec.js';
import { call, uploadDataset } from '../../api/support/client.js';
import { csvDataset } from '../../api/support/dataset.js';
import { type ApiHarness, embeddedHarness } from '../../api/support/harness.js';

const BUDGET = 64 * 2 ** 20;
const spec = {
  strategy: 'stratified',
  stratifyBy: 'label',
  seed: 5,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
};

describe('a freeze past the budget in a job thread', () => {
  let h: ApiHarness | undefined;
  let close: () => Promise<void> = async () => undefined;
  afterAll(async () => {
    await close();
    await h?.close();
  });

  it('freezes a dataset past the budget on SPLITVAULT_WORKERS=2 and records the one-process manifest', async () => {
    // Past a quarter of the smallest budget the server takes, so frozen in shards of 1 MiB.
    const data = csvDataset(1_800_000, 3);
    expect(data.bytes.byteLength * 4).toBeGreaterThan(BUDGET);
    h = await embeddedHarness((dataDir) => {
      const threads = threadExecutor({
        config: loadConfig({
          SPLITVAULT_DATA_DIR: dataDir,
          SPLITVAULT_WORKER_MEMORY: String(BUDGET),
          SPLITVAULT_WORKERS: '2',
        }),
        publicBaseUrl: 'http://splitvault.test',
      });
      close = () => threads.close();
      return { execute: threads.execute };
    });
    await uploadDataset(h, data);
    const submitted = await call(h, 'POST', '/v1/splits', { body: { dataset: data.sha256, spec } });
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(202);
    let job = submitted.json.job;
    while (job.state !== 'succeeded' && job.state !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await call(h, 'GET', `/v1/jobs/${job.id}`)).json;
    }
    expect(job.state, JSON.stringify(job)).toBe('succeeded');
    const expected = await splitDataset(
      data.bytes,
      { sha256: data.sha256, bytes: data.bytes.byteLength },
      SpecRequest.parse(spec),
    );
    expect(job.manifestId).toBe(expected.manifest.id);
  });
});
