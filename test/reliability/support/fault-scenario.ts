/**
 * The write path a client walks (register, upload, freeze twice, set and move an alias, roll
 * back), where every step is retried like a careful client would after a 503 or a failed job.
 */
import type { Answer } from './call.js';
import { call } from './call.js';
import type { Harness } from './harness.js';
import { type Dataset, SPEC } from './seed.js';

export interface ScenarioResult {
  readonly manifests: readonly string[];
  readonly alias: { readonly manifestId: string };
  /** Every answer that was neither success nor a 503 (must stay empty). */
  readonly unexpected: readonly string[];
  /** Jobs left queued or running once the worker stopped. */
  readonly unfinishedJobs: readonly string[];
}

const ALIAS = 'fault-prod';
const MAX_ATTEMPTS = 4;

export async function runScenario(h: Harness, dataset: Dataset): Promise<ScenarioResult> {
  const unexpected: string[] = [];
  const unfinishedJobs: string[] = [];
  /** Records an answer that is not a clean 503, and always reports the attempt as failed. */
  const note = (step: string, answer: Answer): false => {
    if (answer.status !== 503 || answer.json?.code !== 'BACKEND.UNAVAILABLE') {
      unexpected.push(`${step}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
    }
    return false;
  };
  const retry = async (step: string, attempt: () => Promise<boolean>) => {
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) if (await attempt()) return;
    throw new Error(`${step} did not succeed in ${MAX_ATTEMPTS} attempts: ${unexpected.join(' | ')}`);
  };

  await retry('register and upload', async () => {
    const created = await call(h, 'POST', '/v1/datasets', {
      body: { sha256: dataset.sha256, bytes: dataset.bytes.byteLength },
    });
    if (created.status !== 200 && created.status !== 201) return note('register', created);
    if (!created.json.upload) return true;
    const { url, method, headers } = created.json.upload;
    const put = await h.fetchPresigned(url, { method, headers, body: dataset.bytes });
    if (put.status < 300) return true;
    note('upload', { status: put.status, contentType: '', json: await put.json().catch(() => undefined) });
    return false;
  });

  const freeze = async (seed: number) => {
    let id = '';
    await retry(`freeze seed ${seed}`, async () => {
      const submitted = await call(h, 'POST', '/v1/splits', {
        body: { dataset: dataset.sha256, spec: { ...SPEC, seed } },
      });
      if (submitted.status !== 202) return note('freeze', submitted);
      await h.dispatcher.idle();
      const job = await call(h, 'GET', `/v1/jobs/${submitted.json.job.id}`);
      if (job.status !== 200) return note('job', job);
      if (job.json.state === 'succeeded') {
        id = job.json.manifestId;
        return true;
      }
      if (job.json.state === 'failed') {
        if (job.json.problem.status !== 503)
          unexpected.push(`freeze job failed: ${JSON.stringify(job.json.problem)}`);
      } else unfinishedJobs.push(`${job.json.id}:${job.json.state}`);
      return false;
    });
    return id;
  };

  const moveTo = async (step: string, manifestId: string, expectedRevision: number) =>
    retry(step, async () => {
      const moved = await call(h, 'PUT', `/v1/aliases/${ALIAS}`, {
        body: { manifestId, reason: step, expectedRevision },
      });
      if (moved.status < 300) return true;
      if (moved.status === 409) {
        // A lost answer: the first attempt did move it; the alias says so.
        const now = await call(h, 'GET', `/v1/aliases/${ALIAS}`);
        if (now.json?.revision === expectedRevision + 1 && now.json.manifestId === manifestId) return true;
      }
      return note(step, moved);
    });

  const a = await freeze(11);
  await moveTo('set alias', a, 0);
  const b = await freeze(12);
  await moveTo('move alias', b, 1);
  await retry('roll back', async () => {
    const back = await call(h, 'POST', `/v1/aliases/${ALIAS}/rollback`, {
      body: { reason: 'fault test', toRevision: 1 },
    });
    return back.status < 300 || note('rollback', back);
  });
  let alias = { manifestId: '' };
  await retry('read alias', async () => {
    const read = await call(h, 'GET', `/v1/aliases/${ALIAS}`);
    if (read.status === 200) alias = read.json;
    return read.status === 200 || note('read alias', read);
  });
  return { manifests: [a, b], alias, unexpected, unfinishedJobs };
}
