/**
 * kill -9 of the embedded server in the middle of a freeze: the restarted server on the same
 * data dir finishes the job that was running (once its lease expires) and the one queued
 * behind it. Recovery times are printed for RELIABILITY.md, never asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvDataset, RANDOM_SPEC } from '../api/support/dataset.js';
import { http, uploadOverHttp } from '../api/support/http-flow.js';
import { type ServerChild, spawnServer } from './support/server-child.js';

// A short lease keeps the test quick; production's is 45 s with a 15 s heartbeat.
const LEASE = { SPLITVAULT_JOB_LEASE_SECONDS: '3', SPLITVAULT_JOB_HEARTBEAT_SECONDS: '1' };
// One and a half to four seconds of work here, so a kill 300 ms in lands inside the freeze.
const data = csvDataset(3_000_000, 13);

async function waitForState(url: string, id: string, states: readonly string[]) {
  for (;;) {
    const job = await http(url, 'GET', `/v1/jobs/${id}`);
    if (states.includes(job.json.state)) return job.json;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a server killed with SIGKILL during a freeze', () => {
  const servers: ServerChild[] = [];
  let dir = '';
  afterAll(async () => {
    for (const server of servers) await server.kill9();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finishes the running and the queued job after a restart on the same data dir', async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-kill9-'));
    const dataDir = join(dir, 'data');
    const first = await spawnServer(dataDir, LEASE);
    servers.push(first);
    await uploadOverHttp(first.url, data);
    const submit = (seed: number) =>
      http(first.url, 'POST', '/v1/splits', { dataset: data.sha256, spec: { ...RANDOM_SPEC, seed } });
    const running = (await submit(1)).json.job.id as string;
    const queued = (await submit(2)).json.job.id as string;
    await waitForState(first.url, running, ['running']);
    // Into the work, but well before its end: the whole freeze took 1.5 to 4 s here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await http(first.url, 'GET', `/v1/jobs/${running}`)).json.state).toBe('running');
    const killedAt = Date.now();
    await first.kill9();

    const second = await spawnServer(dataDir, LEASE);
    servers.push(second);
    const listeningAt = Date.now();
    const finished = (id: string) =>
      waitForState(second.url, id, ['succeeded', 'failed']).then((job) => ({
        job,
        ms: Date.now() - killedAt,
      }));
    const [ra, rb] = await Promise.all([finished(running), finished(queued)]);
    const [a, b] = [ra.job, rb.job];
    expect(a).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(b).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect((await http(second.url, 'GET', `/v1/splits/${a.manifestId}`)).status).toBe(200);
    console.log(
      JSON.stringify({
        recovery: 'kill -9 mid-freeze',
        leaseSeconds: Number(LEASE.SPLITVAULT_JOB_LEASE_SECONDS),
        restartMs: listeningAt - killedAt,
        runningJobDoneAfterKillMs: ra.ms,
        queuedJobDoneAfterKillMs: rb.ms,
      }),
    );
    await second.stop();
  }, 180_000);
});
