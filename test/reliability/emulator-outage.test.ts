/**
 * Backends that stop answering mid-run (AWS backend). moto keeps DynamoDB in memory, so
 * killing it would lose every table; instead each emulator is frozen with SIGSTOP (the port
 * still accepts connections but nothing answers, like a network partition) and thawed with
 * SIGCONT. Requests made meanwhile may still be applied once it thaws, which is exactly the
 * lost-answer case a client must survive by retrying. This file starts a private emulator
 * pair so freezing it can't stall the other test files that share the suite's pair.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/call.js';
import { createHarness, type Harness } from './support/harness.js';
import { checkInvariants } from './support/invariants.js';
import { csv, freeze, setAlias, upload } from './support/seed.js';

const state = join(mkdtempSync(join(tmpdir(), 'splitvault-outage-')), 'emulators.env');
const emulators = (command: 'up' | 'down') =>
  execFileSync('bash', ['scripts/emulators.sh', command], {
    env: { ...process.env, EMU_STATE: state },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
const ENDPOINT_VARS = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_DYNAMODB'] as const;
const sharedEndpoints = ENDPOINT_VARS.map((name) => process.env[name]);

function usePrivateEmulators(): void {
  for (const match of emulators('up').matchAll(/^export (AWS_\w+)=(.*)$/gm)) {
    process.env[match[1]!] = match[2]!;
  }
}

function restoreSharedEmulators(): void {
  emulators('down');
  ENDPOINT_VARS.forEach((name, i) => {
    process.env[name] = sharedEndpoints[i];
  });
}

function emulatorPid(name: 'EMU_S3_PID' | 'EMU_DDB_PID'): number {
  const pid = Number(new RegExp(`^${name}=(\\d+)$`, 'm').exec(readFileSync(state, 'utf8'))?.[1]);
  if (!pid) throw new Error(`${name} is not in ${state}`);
  return pid;
}

async function whileFrozen<T>(pid: number, body: () => Promise<T>): Promise<T> {
  process.kill(pid, 'SIGSTOP');
  try {
    return await body();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

const SHORT_TIMEOUTS = { connectMs: 1_000, s3RequestMs: 1_500, dynamoRequestMs: 1_500 };

describe('emulators that stop answering during a run', () => {
  let h: Harness;
  const data = csv(50, 31);
  let first = '';
  let second = '';
  beforeAll(async () => {
    usePrivateEmulators();
    h = await createHarness('aws', { awsTimeouts: SHORT_TIMEOUTS });
    await upload(h, data);
    first = await freeze(h, data.sha256);
    second = await freeze(h, data.sha256, {
      strategy: 'random',
      seed: 99,
      ratios: { train: 0.5, validation: 0.25, test: 0.25 },
      format: 'csv',
    });
    expect((await setAlias(h, 'outage', first, 0)).status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    restoreSharedEmulators();
  });

  it('answers 503 while DynamoDB is frozen and applies an interrupted alias move exactly once', async () => {
    const during = await whileFrozen(emulatorPid('EMU_DDB_PID'), async () => [
      await call(h, 'GET', '/v1/aliases/outage'),
      await setAlias(h, 'outage', second, 1),
      await call(h, 'GET', `/v1/splits/${first}`),
    ]);
    for (const answer of during) {
      expect({ status: answer.status, code: answer.json.code }).toEqual({
        status: 503,
        code: 'BACKEND.UNAVAILABLE',
      });
    }
    // The client retries the move with the revision it saw; 409 means the frozen attempt landed.
    const retry = await setAlias(h, 'outage', second, 1);
    expect([200, 409]).toContain(retry.status);
    const alias = (await call(h, 'GET', '/v1/aliases/outage')).json;
    expect({ revision: alias.revision, manifestId: alias.manifestId }).toEqual({
      revision: 2,
      manifestId: second,
    });
    expect(await checkInvariants(h.raw, [data.sha256])).toEqual([]);
  }, 120_000);

  it('answers 503 while S3 is frozen, fails the freeze job retriably, and succeeds once it is back', async () => {
    const fresh = csv(40, 32);
    await upload(h, fresh);
    const spec = {
      strategy: 'random',
      seed: 5,
      ratios: { train: 0.8, validation: 0.1, test: 0.1 },
      format: 'csv',
    };
    const during = await whileFrozen(emulatorPid('EMU_S3_PID'), async () => ({
      register: await call(h, 'POST', '/v1/datasets', {
        body: { sha256: csv(10, 33).sha256, bytes: csv(10, 33).bytes.byteLength },
      }),
      freeze: await call(h, 'POST', '/v1/splits?wait=30', { body: { dataset: fresh.sha256, spec } }),
    }));
    expect({ status: during.register.status, code: during.register.json.code }).toEqual({
      status: 503,
      code: 'BACKEND.UNAVAILABLE',
    });
    expect({ status: during.freeze.status, code: during.freeze.json.code }).toEqual({
      status: 503,
      code: 'BACKEND.UNAVAILABLE',
    });
    const manifests = (await call(h, 'GET', `/v1/datasets/${fresh.sha256}/splits`)).json.items;
    expect(manifests).toEqual([]);
    const id = await freeze(h, fresh.sha256, spec);
    expect(await freeze(h, fresh.sha256, spec)).toBe(id);
    expect((await call(h, 'GET', `/v1/datasets/${fresh.sha256}/splits`)).json.items).toEqual([id]);
    expect(await checkInvariants(h.raw, [data.sha256, fresh.sha256])).toEqual([]);
  }, 120_000);
});
