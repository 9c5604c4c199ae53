import { Duration, Size } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ObjectLockMode } from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { MAX_PRESIGN_SECONDS } from '../schemas/config.js';

/** Settings of one splitvault deployment. Every prop is optional; the defaults suit a team account. */
export interface SplitVaultProps {
  /**
   * Object Lock mode applied to every stored object. GOVERNANCE lets a principal holding
   * s3:BypassGovernanceRetention delete early; COMPLIANCE lets no one, not even the root user.
   * @default ObjectLockMode.GOVERNANCE
   */
  readonly retentionMode?: ObjectLockMode;
  /**
   * Days each stored object stays locked after it is written (1 to 36500).
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Customer-managed key for the data bucket; the functions get encrypt/decrypt on it.
   * @default - S3-managed encryption (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Memory of the worker function in MiB (128 to 10240). Splitting holds one dataset in memory.
   * @default 3008
   */
  readonly workerMemorySize?: number;
  /**
   * Size of the worker's /tmp (512 MiB to 10240 MiB), where uploads are staged while they are hashed.
   * @default Size.gibibytes(2)
   */
  readonly workerEphemeralStorageSize?: Size;
  /**
   * How often Lambda retries a failed asynchronous worker job before it goes to the failure queue (1 to 2).
   * A job is run at most this many times; the last delivery fails it with JOB.ATTEMPTS_EXHAUSTED.
   * @default 2
   */
  readonly workerRetryAttempts?: number;
  /**
   * Reserved concurrency of the worker function (1 to 1000): at most this many freezes and
   * verifications run at once, and they can't starve the API of the account's concurrency.
   * Lambda keeps 100 executions of the account unreserved, so an account with a low
   * concurrency quota must lower this.
   * @default 10
   */
  readonly workerReservedConcurrency?: number;
  /**
   * Topic every alarm notifies when it fires (wire it to e-mail, chat or a pager).
   * @default - alarms change state but notify no one
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * How long presigned upload and download URLs stay valid (1 minute to 12 hours). They also stop
   * working when the signing function's session credentials expire.
   * @default Duration.minutes(15)
   */
  readonly presignExpiry?: Duration;
  /**
   * Retention of the function and access log groups.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Steady-state requests per second the API stage accepts before answering 429.
   * @default 50
   */
  readonly throttleRateLimit?: number;
  /**
   * Burst of requests the API stage accepts above the steady rate.
   * @default 100
   */
  readonly throttleBurstLimit?: number;
  /**
   * X-Ray tracing: Lambda active tracing on both functions, and in the worker a subsegment per
   * job and per S3 and DynamoDB call. The API function gets active tracing only, to keep the
   * X-Ray SDK out of its bundle.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Commit the functions were built from, reported by the health route.
   * @default - not reported
   */
  readonly gitCommit?: string;
  /**
   * Serve the web console at /ui, from a function of its own, behind the same IAM
   * authorization as the API. A browser can't sign SigV4 requests, so people reach it through
   * a SigV4 signing proxy on their own machine (docs/DEPLOY.md, "The web console").
   * @default false
   */
  readonly console?: boolean;
  /**
   * Most shard steps each Distributed Map of the freeze state machine runs at once (1 to 1000),
   * its MaxConcurrency. Each is one invoke of the shard function, so this also bounds the Lambda
   * concurrency a big freeze takes from the account (whose default quota is 1000, shared with
   * the API) and the parallel reads of one dataset's S3 prefix.
   * @default 20
   */
  readonly shardConcurrency?: number;
}

/** Props with every default filled in; only the construct reads it. */
export type ResolvedSplitVaultProps = Required<
  Omit<SplitVaultProps, 'encryptionKey' | 'gitCommit' | 'alarmTopic'>
> &
  Pick<SplitVaultProps, 'encryptionKey' | 'gitCommit' | 'alarmTopic'>;

const LOG_RETENTIONS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

function checkRange(name: string, value: number, min: number, max: number, unit: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} ${unit}, got ${value}`);
  }
}

/** Fills in defaults and throws on the first bad value, before any resource is created. */
export function resolveProps(props: SplitVaultProps): ResolvedSplitVaultProps {
  const resolved: ResolvedSplitVaultProps = {
    retentionMode: props.retentionMode ?? ObjectLockMode.GOVERNANCE,
    retentionDays: props.retentionDays ?? 365,
    workerMemorySize: props.workerMemorySize ?? 3008,
    workerEphemeralStorageSize: props.workerEphemeralStorageSize ?? Size.gibibytes(2),
    workerRetryAttempts: props.workerRetryAttempts ?? 2,
    workerReservedConcurrency: props.workerReservedConcurrency ?? 10,
    alarmTopic: props.alarmTopic,
    presignExpiry: props.presignExpiry ?? Duration.minutes(15),
    logRetention: props.logRetention ?? RetentionDays.ONE_YEAR,
    throttleRateLimit: props.throttleRateLimit ?? 50,
    throttleBurstLimit: props.throttleBurstLimit ?? 100,
    tracing: props.tracing ?? true,
    encryptionKey: props.encryptionKey,
    gitCommit: props.gitCommit,
    console: props.console ?? false,
    shardConcurrency: props.shardConcurrency ?? 20,
  };
  if (!Object.values(ObjectLockMode).includes(resolved.retentionMode)) {
    throw new Error(`retention mode must be GOVERNANCE or COMPLIANCE, got ${resolved.retentionMode}`);
  }
  checkRange('retention days', resolved.retentionDays, 1, 36500, 'days');
  checkRange('worker memory size', resolved.workerMemorySize, 128, 10240, 'MiB');
  checkRange(
    'worker ephemeral storage size',
    resolved.workerEphemeralStorageSize.toMebibytes(),
    512,
    10240,
    'MiB',
  );
  // At least one retry: the delivery after a run died is what fails the job for good
  // (SPLITVAULT_JOB_MAX_ATTEMPTS); with none, a crashed job would stay running.
  checkRange('worker retry attempts', resolved.workerRetryAttempts, 1, 2, 'retries');
  checkRange('worker reserved concurrency', resolved.workerReservedConcurrency, 1, 1000, 'executions');
  checkRange('presign expiry', resolved.presignExpiry.toSeconds(), 60, MAX_PRESIGN_SECONDS, 'seconds');
  if (!LOG_RETENTIONS.has(resolved.logRetention)) {
    throw new Error(`log retention must be one of the RetentionDays values, got ${resolved.logRetention}`);
  }
  checkRange('throttle rate limit', resolved.throttleRateLimit, 1, 10000, 'requests per second');
  checkRange('throttle burst limit', resolved.throttleBurstLimit, 1, 5000, 'requests');
  checkRange('shard concurrency', resolved.shardConcurrency, 1, 1000, 'shard steps');
  return resolved;
}
