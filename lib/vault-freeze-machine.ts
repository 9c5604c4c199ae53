import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { ResolvedSplitVaultProps } from './splitvault-props.js';
import { createFreezeEndings, type FreezeEndings } from './vault-freeze-endings.js';
import { createFunction, functionEnvironment, WORKER_BUNDLING } from './vault-functions.js';
import { grantDataAccess, grantShardAccess, grantWorkAccess } from './vault-permissions.js';
import type { VaultStorage } from './vault-storage.js';

/** The Lambda errors Step Functions reports for an invoke that never ran the handler, or lost its answer. */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
] as const;

/**
 * The one error a step throws that the same call may get past a moment later: S3 or DynamoDB
 * still refusing (503 SlowDown, throttling) after the SDK's own retries. A step's error is
 * named by its stable code (functions/jobs/freeze-step-error.ts); every other code (DATASET.*,
 * SPEC.*, INTEGRITY.*) is a fact about the data or the job and would fail again.
 */
export const TRANSIENT_STEP_ERRORS = ['BACKEND.UNAVAILABLE'] as const;

/** Longest a freeze may run before Step Functions stops it (no Catch runs: ./vault-freeze-endings.ts fails the job). */
export const FREEZE_EXECUTION_TIMEOUT = Duration.hours(24);

/**
 * A Lambda stops itself at 15 minutes; the task waits a little longer so the function's own
 * timeout (Sandbox.Timedout, with its logs) is what ends a stuck step, and the task timeout only
 * a lost invoke.
 */
const TASK_TIMEOUT = Duration.minutes(16);

/** Work objects outlive any execution (24 h) by a day; expiry is their only cleanup. */
export const WORK_EXPIRY = Duration.days(3);

export interface FreezeMachine {
  readonly stateMachine: sfn.StateMachine;
  /** Intermediate state of running freezes: plans, scans, parts. No Object Lock, expires by lifecycle. */
  readonly workBucket: s3.Bucket;
  /** Phases plan, merge, assign, combine (one split file each), manifest, record and fail. */
  readonly coordinatorFunction: nodejs.NodejsFunction;
  /** Phases scan, summarize and write, one shard per invoke. */
  readonly shardFunction: nodejs.NodejsFunction;
  /** Ends the job of an execution that failed, timed out or was aborted past its fail step. */
  readonly endings: FreezeEndings;
}

/**
 * Where the state holds the execution's work key: the plan step's answer, kept at `$.plan`
 * (functions/jobs/freeze-work.ts). Every step after plan gets it in its event.
 */
export const WORK_KEY_PATH = '$.plan.key';

/** Where the state holds the key drawn before plan (the `DrawWorkKey` state), for plan itself. */
export const DRAWN_KEY_PATH = '$.work.key';

/** The split files, each combined in its own invocation (schemas/common.ts SPLIT_NAMES). */
const SPLITS = ['train', 'validation', 'test'] as const;

/** Per-shard phases, each a Distributed Map over the plan's item list. */
const MAP_PHASES = ['scan', 'summarize', 'write'] as const;
type MapPhase = (typeof MAP_PHASES)[number];

/**
 * The sharded freeze on Step Functions: Plan → ScanMap → Merge → SummarizeMap → Assign →
 * WriteMap → Combine (a Parallel state: one invoke per split file) → Manifest → Record, every
 * step a Lambda invoke with the contract of functions/jobs/freeze-steps-job.ts (event
 * `{ phase, jobId, shard?, split? }`). Any failure goes through
 * the coordinator's fail phase, which records the job failed, and ends in a Fail state; an
 * execution that ends without it (stopped, timed out, its fail step failing) has its job
 * failed by the machine's status-change events (./vault-freeze-endings.ts).
 */
export function createFreezeMachine(
  scope: Construct,
  storage: VaultStorage,
  props: ResolvedSplitVaultProps,
): FreezeMachine {
  const workBucket = createWorkBucket(scope, storage, props);
  const environment = {
    ...functionEnvironment(storage, props),
    SPLITVAULT_WORK_BUCKET: workBucket.bucketName,
    // The shard function's memory in bytes, to which the plan step cuts shards (shardLimits).
    SPLITVAULT_SHARD_MEMORY: String(props.workerMemorySize * 2 ** 20),
  };
  const step = (id: string, entry: string) =>
    createFunction(
      scope,
      id,
      {
        entry,
        memorySize: props.workerMemorySize,
        timeout: Duration.minutes(15),
        environment,
        bundling: WORKER_BUNDLING,
      },
      { ephemeralStorageSize: props.workerEphemeralStorageSize },
      props,
    );
  const coordinatorFunction = step('FreezeCoordinatorFunction', 'freeze-coordinator-lambda.ts');
  const shardFunction = step('FreezeShardFunction', 'freeze-shard-lambda.ts');
  // The coordinator records manifests and finishes jobs like the worker; a shard only reads.
  grantDataAccess(coordinatorFunction, 'worker', storage, props.encryptionKey);
  grantShardAccess(shardFunction, storage, props.encryptionKey);
  grantWorkAccess(coordinatorFunction, workBucket, 'coordinator');
  grantWorkAccess(shardFunction, workBucket, 'shard', props.encryptionKey);

  const invoke = (
    id: string,
    fn: nodejs.NodejsFunction,
    payload: Record<string, unknown> | undefined,
    paths: Pick<tasks.LambdaInvokeProps, 'resultPath' | 'outputPath'> = {},
  ) => {
    // Phases other than plan answer only { jobId }: the state keeps its input. A result that
    // replaces the whole state ('$') is written as ASL's default, no ResultPath at all.
    const { resultPath = sfn.JsonPath.DISCARD, ...otherPaths } = paths;
    const task = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      ...(payload ? { payload: sfn.TaskInput.fromObject(payload) } : {}),
      // The function's answer is the state's result, not the invoke's envelope.
      payloadResponseOnly: true,
      // Replaced by retryTransient, which adds throttling and jitter.
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(TASK_TIMEOUT),
      ...(resultPath === '$' ? {} : { resultPath }),
      ...otherPaths,
    });
    retryTransient(task);
    return task;
  };

  const failTask = invoke('MarkFailed', coordinatorFunction, {
    phase: 'fail',
    'jobId.$': '$.jobId',
    'error.$': '$.error',
  });
  const failed = new sfn.Fail(scope, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  // Even when recording the failure fails, the execution ends failed with the original error.
  failTask.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failError' });
  const onFailure = failTask.next(failed);
  const caught = <T extends sfn.TaskStateBase | sfn.DistributedMap | sfn.Parallel>(state: T): T => {
    state.addCatch(onFailure, { errors: ['States.ALL'], resultPath: '$.error' });
    return state;
  };
  const title = (phase: string) => phase[0]!.toUpperCase() + phase.slice(1);
  const coordinatorStep = (phase: string, paths: Pick<tasks.LambdaInvokeProps, 'resultPath'> = {}) =>
    caught(
      invoke(
        title(phase),
        coordinatorFunction,
        phase === 'plan'
          ? { phase, 'jobId.$': '$.jobId', 'key.$': DRAWN_KEY_PATH }
          : { phase, 'jobId.$': '$.jobId', 'key.$': WORK_KEY_PATH },
        paths,
      ),
    );

  const shardMap = (phase: MapPhase) => {
    const map = new StrictDistributedMap(scope, `${title(phase)}Map`, {
      itemReader: new sfn.S3JsonItemReader({
        bucket: workBucket,
        key: sfn.JsonPath.stringAt('$.plan.items.key'),
      }),
      itemSelector: {
        phase,
        jobId: sfn.JsonPath.stringAt('$$.Map.Item.Value.jobId'),
        // From the map's input, not the item list: the key is never in the work bucket.
        key: sfn.JsonPath.stringAt(WORK_KEY_PATH),
        shard: sfn.JsonPath.numberAt('$$.Map.Item.Value.shard'),
      },
      maxConcurrency: props.shardConcurrency,
      // Standard children: a shard step may run up to Lambda's 15 minutes and retry with
      // backoff, past an Express child's 5-minute limit; and a Standard child runs each step
      // once, where an Express child may run it twice.
      mapExecutionType: sfn.StateMachineType.STANDARD,
      label: `${title(phase)}Shards`,
      // Results live in the work bucket: the map's output is its input.
      resultPath: sfn.JsonPath.DISCARD,
    });
    // Each child answers its shard number (a few bytes), so the collected results of even ten
    // thousand shards stay far under the 256 KiB payload limit without a ResultWriter.
    map.itemProcessor(invoke(title(phase), shardFunction, undefined, { outputPath: '$.shard' }));
    // Reading the item list is one S3 GetObject; a throttled read is worth another try.
    map.addRetry({
      errors: ['States.ItemReaderFailed'],
      interval: Duration.seconds(2),
      maxAttempts: 2,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    return caught(map);
  };

  // Each split file in its own invocation, the three at once, so Lambda's 15 minutes bound one
  // file's two streamed passes, not all three files'. A failed branch fails the state.
  const combine = new sfn.Parallel(scope, 'Combine', { resultPath: sfn.JsonPath.DISCARD });
  for (const split of SPLITS) {
    // A branch's input is the Parallel state's: the work key is at the same path.
    const payload = { phase: 'combine', 'jobId.$': '$.jobId', 'key.$': WORK_KEY_PATH, split };
    combine.branch(invoke(`Combine${title(split)}`, coordinatorFunction, payload));
  }

  // The work key is drawn once, before plan, so every attempt of a retried plan writes its plan
  // under the same key: an attempt whose answer was lost can still land last without locking the
  // later steps out. Two random UUIDs (244 bits) hashed to the 64 hex digits a key is.
  const drawKey = new sfn.Pass(scope, 'DrawWorkKey', {
    parameters: { 'key.$': "States.Hash(States.Format('{}{}', States.UUID(), States.UUID()), 'SHA-256')" },
    resultPath: '$.work',
  });
  const definition = drawKey
    .next(coordinatorStep('plan', { resultPath: '$.plan' }))
    .next(shardMap('scan'))
    .next(coordinatorStep('merge'))
    .next(shardMap('summarize'))
    .next(coordinatorStep('assign'))
    .next(shardMap('write'))
    .next(caught(combine))
    .next(coordinatorStep('manifest'))
    // The execution's output is the record step's { jobId } alone: the state, work key
    // included, would otherwise go out in the execution's status-change event.
    .next(coordinatorStep('record', { resultPath: '$' }));

  const logGroup = new logs.LogGroup(scope, 'FreezeMachineLogs', { retention: props.logRetention });
  const stateMachine = new sfn.StateMachine(scope, 'FreezeMachine', {
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    timeout: FREEZE_EXECUTION_TIMEOUT,
    tracingEnabled: props.tracing,
    // Every event, without its data: the state holds the execution's work key, which must not
    // reach CloudWatch Logs (whoever reads those could forge this job's work objects).
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  props.encryptionKey?.grantDecrypt(stateMachine);
  const endings = createFreezeEndings(scope, stateMachine, coordinatorFunction);
  return { stateMachine, workBucket, coordinatorFunction, shardFunction, endings };
}

/**
 * Exponential backoff with full jitter on the errors of an invoke that didn't run or whose
 * answer was lost (a shard step is idempotent: it overwrites the same work objects), and on a
 * backend that was still unavailable after the SDK's retries.
 */
function retryTransient(task: sfn.TaskStateBase): void {
  task.addRetry({
    errors: [...TRANSIENT_LAMBDA_ERRORS],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  });
  task.addRetry({
    errors: [...TRANSIENT_STEP_ERRORS],
    interval: Duration.seconds(5),
    maxAttempts: 3,
    backoffRate: 3,
    maxDelay: Duration.seconds(120),
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/**
 * A Distributed Map that states ToleratedFailurePercentage 0: CDK leaves out a zero as if it
 * were unset. Zero is also the service default, but the definition should say that one failed
 * shard fails the map, whatever defaults become.
 */
class StrictDistributedMap extends sfn.DistributedMap {
  override toStateJson(): object {
    return { ...super.toStateJson(), ToleratedFailurePercentage: 0 };
  }
}

/**
 * The work bucket. It has no Object Lock (work objects are overwritten by a retried step and
 * must go away), is encrypted like the data bucket, TLS-only and private, logs access to the
 * same log bucket, and expires everything after WORK_EXPIRY: nothing is granted a delete.
 */
function createWorkBucket(
  scope: Construct,
  storage: VaultStorage,
  props: ResolvedSplitVaultProps,
): s3.Bucket {
  return new s3.Bucket(scope, 'WorkBucket', {
    encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: props.encryptionKey !== undefined,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: storage.accessLogBucket,
    serverAccessLogsPrefix: 'work-bucket/',
    lifecycleRules: [
      { id: 'expire-work', expiration: WORK_EXPIRY },
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    // Holds nothing worth keeping, but a bucket with objects can't be deleted by CloudFormation,
    // and emptying it would take a delete right; it empties itself by lifecycle instead.
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * Largest dataset, in bytes, the worker freezes in one process: past a quarter of its memory
 * the one-process engine could exceed it (ONE_PROCESS_FACTOR and needsShards in
 * functions/jobs/freeze-sharded.ts, restated here so the CDK app doesn't load the engine).
 */
export function shardedFreezeBytes(workerMemoryMiB: number): number {
  return Math.floor((workerMemoryMiB * 2 ** 20) / 4);
}
