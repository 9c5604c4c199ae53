import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import { leaseFromConfig } from '../../functions/handlers/job-settings.js';

describe('configuration from the environment', () => {
  it('fills in the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      backend: 'local',
      dataDir: './.splitvault',
      presignSeconds: 900,
      retentionMode: undefined,
    });
  });

  it('runs shard tasks on as many worker threads as the machine has cores unless SPLITVAULT_WORKERS says', () => {
    expect(loadConfig({}).workers).toBe(availableParallelism());
    expect(loadConfig({ SPLITVAULT_WORKERS: '3' }).workers).toBe(3);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', SPLITVAULT_PRESIGN_SECONDS: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ SPLITVAULT_BACKEND: 'gcp' }, 'SPLITVAULT_BACKEND="gcp"'],
    [{ SPLITVAULT_PRESIGN_SECONDS: '43201' }, 'SPLITVAULT_PRESIGN_SECONDS="43201"'],
    [{ SPLITVAULT_PUBLIC_URL: 'ftp://x' }, 'SPLITVAULT_PUBLIC_URL="ftp://x"'],
    [{ SPLITVAULT_BACKEND: 'aws' }, 'SPLITVAULT_BUCKET'],
    [{ SPLITVAULT_BACKEND: 'aws', SPLITVAULT_BUCKET: 'b' }, 'SPLITVAULT_TABLE'],
    [{ SPLITVAULT_RETENTION_MODE: 'COMPLIANCE' }, 'SPLITVAULT_RETENTION_DAYS'],
    [{ SPLITVAULT_RETENTION_DAYS: '-3' }, 'SPLITVAULT_RETENTION_DAYS="-3"'],
    [
      { SPLITVAULT_JOB_LEASE_SECONDS: '10', SPLITVAULT_JOB_HEARTBEAT_SECONDS: '10' },
      'SPLITVAULT_JOB_HEARTBEAT_SECONDS',
    ],
    [{ SPLITVAULT_JOB_MAX_ATTEMPTS: '0' }, 'SPLITVAULT_JOB_MAX_ATTEMPTS="0"'],
    [{ SPLITVAULT_JOB_QUEUE_LIMIT: 'lots' }, 'SPLITVAULT_JOB_QUEUE_LIMIT="lots"'],
    [{ SPLITVAULT_WORKERS: '0' }, 'SPLITVAULT_WORKERS="0"'],
    [{ SPLITVAULT_WORKERS: '1.5' }, 'SPLITVAULT_WORKERS="1.5"'],
    [{ SPLITVAULT_WORKERS: 'all' }, 'SPLITVAULT_WORKERS="all"'],
  ])('stops on %j with a message naming %s', (env, named) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(named);
  });

  it('budgets 3 GiB of decoded data per freeze on the embedded server, a quarter of memory on Lambda', () => {
    expect(loadConfig({}).maxDecodedBytes).toBe(3 * 2 ** 30);
    expect(loadConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3008' }).maxDecodedBytes).toBe(752 * 2 ** 20);
    expect(
      loadConfig({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3008', SPLITVAULT_MAX_DECODED_BYTES: '1048576' })
        .maxDecodedBytes,
    ).toBe(2 ** 20);
    expect(() => loadConfig({ SPLITVAULT_MAX_DECODED_BYTES: '1000' })).toThrow(
      'SPLITVAULT_MAX_DECODED_BYTES',
    );
  });

  it('derives the job heartbeat from the lease unless it is set', () => {
    expect(leaseFromConfig(loadConfig({}))).toEqual({ leaseMs: 45_000, heartbeatMs: 15_000, maxAttempts: 3 });
    expect(leaseFromConfig(loadConfig({ SPLITVAULT_JOB_LEASE_SECONDS: '3' }), 2)).toEqual({
      leaseMs: 3_000,
      heartbeatMs: 1_000,
      maxAttempts: 2,
    });
    expect(
      leaseFromConfig(
        loadConfig({ SPLITVAULT_JOB_HEARTBEAT_SECONDS: '5', SPLITVAULT_JOB_MAX_ATTEMPTS: '4' }),
        2,
      ),
    ).toEqual({ leaseMs: 45_000, heartbeatMs: 5_000, maxAttempts: 4 });
  });

  it('reads a complete AWS configuration', () => {
    const config = loadConfig({
      SPLITVAULT_BACKEND: 'aws',
      SPLITVAULT_BUCKET: 'vault',
      SPLITVAULT_TABLE: 'lineage',
      SPLITVAULT_RETENTION_MODE: 'GOVERNANCE',
      SPLITVAULT_RETENTION_DAYS: '30',
      SPLITVAULT_WORKER_FUNCTION: 'worker',
      SPLITVAULT_API_ID: 'a1b2c3',
    });
    expect(config).toMatchObject({
      bucket: 'vault',
      table: 'lineage',
      workerFunction: 'worker',
      apiId: 'a1b2c3',
      retentionMode: 'GOVERNANCE',
      retentionDays: 30,
    });
  });
});
