import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorkerHandler } from '../../functions/handlers/worker.js';
import type { Job } from '../../schemas/records.js';
import { uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

const NAMESPACE = 'splitvault/test';
let h: ApiHarness;
const data = csvDataset(40, 5);
beforeAll(async () => {
  h = await embeddedHarness();
  await uploadDataset(h, data);
});
afterAll(async () => h?.close());
afterEach(() => vi.restoreAllMocks());

function job(id: string, patch: Partial<Job>, ageMs = 0): Job {
  const at = new Date(Date.now() - ageMs).toISOString();
  return {
    id,
    kind: 'freeze',
    state: 'queued',
    createdAt: at,
    updatedAt: at,
    actor: 'tester',
    input: { dataset: data.sha256, spec: { ...RANDOM_SPEC, shuffle: false }, requestId: 'req-metrics' },
    ...patch,
  };
}

interface EmfLine {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** Runs one worker delivery and returns the EMF documents it wrote to stdout. */
async function deliver(jobId: string): Promise<EmfLine[]> {
  const worker = createWorkerHandler({
    blobs: h.blobs,
    lineage: h.lineage,
    service: { service: 'splitvault' },
    metrics: new Metrics({ namespace: NAMESPACE, serviceName: 'worker' }),
  });
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await worker({ jobId });
  } finally {
    vi.restoreAllMocks();
  }
  return written
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** Metric name → value, after checking every document's namespace and dimensions. */
function metricsOf(lines: EmfLine[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const line of lines) {
    for (const directive of line._aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe(NAMESPACE);
      expect(directive.Dimensions).toEqual([['service']]);
      for (const metric of directive.Metrics) values[metric.Name] = line[metric.Name];
    }
    expect(line.service).toBe('worker');
  }
  return values;
}

describe('the worker metrics (CloudWatch embedded metric format on stdout)', () => {
  it('reports a freeze with its duration and the bytes of the frozen dataset', async () => {
    await h.lineage.createJob(job('metrics-freeze', {}));
    const lines = await deliver('metrics-freeze');
    expect(lines).toHaveLength(1);
    const values = metricsOf(lines);
    expect(Object.keys(values).sort()).toEqual(['FreezeBytes', 'FreezeDuration', 'Freezes']);
    expect(values.Freezes).toBe(1);
    expect(values.FreezeBytes).toBe(data.bytes.byteLength);
    expect(values.FreezeDuration).toEqual(expect.any(Number));
    const units = Object.fromEntries(
      lines[0]!._aws.CloudWatchMetrics[0]!.Metrics.map((m) => [m.Name, m.Unit]),
    );
    expect(units).toEqual({ Freezes: 'Count', FreezeDuration: 'Milliseconds', FreezeBytes: 'Bytes' });
  });

  it('counts a freeze that fails as a freeze failure', async () => {
    await h.lineage.createJob(
      job('metrics-freeze-fails', { input: { ...job('x', {}).input, dataset: 'f'.repeat(64) } }),
    );
    expect(metricsOf(await deliver('metrics-freeze-fails'))).toEqual({ FreezeFailures: 1 });
  });

  it('reports a clean verification as a verify and a verification of a missing split as a verify failure', async () => {
    await h.lineage.createJob(job('metrics-source', {}));
    await deliver('metrics-source');
    const manifestId = (await h.lineage.getJob('metrics-source'))!.manifestId!;
    await h.lineage.createJob(
      job('metrics-verify', { kind: 'verify', input: { manifestId, requestId: 'r' } }),
    );
    expect(metricsOf(await deliver('metrics-verify'))).toEqual({ Verifies: 1 });
    const missing = { manifestId: 'e'.repeat(64), requestId: 'r' };
    await h.lineage.createJob(job('metrics-verify-fails', { kind: 'verify', input: missing }));
    expect(metricsOf(await deliver('metrics-verify-fails'))).toEqual({ Verifies: 1, VerifyFailures: 1 });
  });

  it('counts a job whose earlier attempt has lost its lease as a retry when this delivery runs it', async () => {
    await h.lineage.createJob(job('metrics-retry', { state: 'running' }, 20 * 60_000));
    const values = metricsOf(await deliver('metrics-retry'));
    expect(values).toMatchObject({ JobRetries: 1, Freezes: 1 });
  });

  it('counts a job still held by an earlier attempt as stuck, and emits nothing for a finished one', async () => {
    // Leased by another runner until a minute from now: this delivery must leave it alone.
    const lease = { owner: 'earlier-attempt', expiresAt: new Date(Date.now() + 60_000).toISOString() };
    await h.lineage.createJob(job('metrics-stuck', { state: 'running', attempts: 1, lease }));
    expect(metricsOf(await deliver('metrics-stuck'))).toEqual({ StuckJobs: 1 });
    await h.lineage.createJob(job('metrics-done', {}));
    await deliver('metrics-done');
    expect(await deliver('metrics-done')).toEqual([]);
  });
});
