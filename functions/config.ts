/**
 * Reads process.env once per cold start (never at import time) and turns it into typed
 * settings. A bad value stops the process with a message naming the variable.
 */
import { availableParallelism } from 'node:os';
import { ConfigEnv } from '../schemas/config.js';

export interface Config {
  readonly port: number;
  /** Undefined means "choose": 127.0.0.1 without a tokens file, the Node default with one. */
  readonly host?: string;
  readonly backend: 'local' | 'aws';
  readonly dataDir: string;
  readonly tokensFile?: string;
  readonly bucket?: string;
  readonly table?: string;
  /** Where multipart uploads are staged on AWS; without it /v1/uploads is not mounted there. */
  readonly stagingBucket?: string;
  /** S3 Object Lock mode for new objects; undefined means no lock (embedded or a test bucket). */
  readonly retentionMode?: 'GOVERNANCE' | 'COMPLIANCE';
  readonly retentionDays?: number;
  readonly publicUrl?: string;
  readonly presignSeconds: number;
  readonly workerFunction?: string;
  /** The HTTP API whose events the API Lambda accepts (SPLITVAULT_API_ID). */
  readonly apiId?: string;
  readonly gitCommit?: string;
  /** Most bytes of decoded data one freeze or verify may hold (413 DATASET.TOO_LARGE_DECODED past it). */
  readonly maxDecodedBytes: number;
  /**
   * Memory budget of one embedded freeze (SPLITVAULT_WORKER_MEMORY); datasets past it are frozen
   * in shards. Undefined on AWS, where the worker keeps the one-process engine for now.
   */
  readonly workerMemory?: number;
  /**
   * Worker threads a sharded embedded freeze (or verify) runs its shard tasks on
   * (SPLITVAULT_WORKERS); the machine's cores when unset.
   */
  readonly workers: number;
  /** Job runner limits; undefined means the runner's default (functions/jobs/job-lease.ts). */
  readonly jobLeaseSeconds?: number;
  readonly jobHeartbeatSeconds?: number;
  readonly jobMaxAttempts?: number;
  /** Jobs the embedded server lets wait before it answers 429. */
  readonly jobQueueLimit?: number;
  /** CloudWatch namespace of the worker's metrics (POWERTOOLS_METRICS_NAMESPACE); none when unset. */
  readonly metricsNamespace?: string;
}

/** The embedded server's worker memory budget when none is set: 4 GiB (README, "Limits"). */
export const EMBEDDED_WORKER_MEMORY = 4 * 2 ** 30;

/** The embedded server's decoded-size budget when none is set: 3 GiB (see README, "Limits"). */
export const EMBEDDED_MAX_DECODED_BYTES = 3 * 2 ** 30;

/**
 * A quarter of the function's memory: a freeze holds the decoded columns, the split files
 * (about as large again), the source bytes and parquet-wasm's memory at once, so peak memory
 * runs near three to four times the decoded size (RELIABILITY.md, "Amplification bombs").
 */
export function defaultMaxDecodedBytes(lambdaMemoryMiB: number | undefined): number {
  return lambdaMemoryMiB === undefined
    ? EMBEDDED_MAX_DECODED_BYTES
    : Math.floor((lambdaMemoryMiB * 2 ** 20) / 4);
}

/** Thrown for a bad environment; the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (process.env by default). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = ConfigEnv.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    backend: e.SPLITVAULT_BACKEND,
    dataDir: e.SPLITVAULT_DATA_DIR,
    tokensFile: e.SPLITVAULT_TOKENS_FILE,
    bucket: e.SPLITVAULT_BUCKET,
    table: e.SPLITVAULT_TABLE,
    ...(e.SPLITVAULT_STAGING_BUCKET ? { stagingBucket: e.SPLITVAULT_STAGING_BUCKET } : {}),
    retentionMode: e.SPLITVAULT_RETENTION_MODE === 'NONE' ? undefined : e.SPLITVAULT_RETENTION_MODE,
    retentionDays: e.SPLITVAULT_RETENTION_DAYS,
    publicUrl: e.SPLITVAULT_PUBLIC_URL,
    presignSeconds: e.SPLITVAULT_PRESIGN_SECONDS,
    workerFunction: e.SPLITVAULT_WORKER_FUNCTION,
    apiId: e.SPLITVAULT_API_ID,
    gitCommit: e.SPLITVAULT_GIT_COMMIT,
    maxDecodedBytes:
      e.SPLITVAULT_MAX_DECODED_BYTES ?? defaultMaxDecodedBytes(e.AWS_LAMBDA_FUNCTION_MEMORY_SIZE),
    ...(e.SPLITVAULT_BACKEND === 'local' || e.SPLITVAULT_WORKER_MEMORY !== undefined
      ? { workerMemory: e.SPLITVAULT_WORKER_MEMORY ?? EMBEDDED_WORKER_MEMORY }
      : {}),
    workers: e.SPLITVAULT_WORKERS ?? availableParallelism(),
    jobLeaseSeconds: e.SPLITVAULT_JOB_LEASE_SECONDS,
    jobHeartbeatSeconds: e.SPLITVAULT_JOB_HEARTBEAT_SECONDS,
    jobMaxAttempts: e.SPLITVAULT_JOB_MAX_ATTEMPTS,
    jobQueueLimit: e.SPLITVAULT_JOB_QUEUE_LIMIT,
    metricsNamespace: e.POWERTOOLS_METRICS_NAMESPACE,
  };
}
