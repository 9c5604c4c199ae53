import aslValidator from 'asl-validator';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError, DatasetError } from '../../functions/core/errors.js';
import { needsShards } from '../../functions/jobs/freeze-sharded.js';
import { stepError } from '../../functions/jobs/freeze-step-error.js';
import { STEPS_LEASE_MS } from '../../functions/jobs/freeze-steps-state.js';
import type { SplitVault } from '../../lib/splitvault.js';
import {
  FREEZE_EXECUTION_TIMEOUT,
  shardedFreezeBytes,
  TRANSIENT_LAMBDA_ERRORS,
  TRANSIENT_STEP_ERRORS,
  WORK_KEY_PATH,
} from '../../lib/vault-freeze-machine.js';
import { FAKE_ENV, fakeBucketName, freezeDefinition, stateNamed } from './freeze-definition.js';
import { logicalId, onlyResource, synthStack } from './synth.js';

type State = Record<string, unknown> & { Type: string };
let template: Template;
let vault: SplitVault;
let definition: Record<string, unknown>;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
  definition = freezeDefinition(template);
});

const states = () => definition.States as Record<string, State>;
const fnArn = (id: string) => `arn:aws:lambda:${FAKE_ENV.region}:${FAKE_ENV.account}:function:${id}`;
const MAIN_PATH = [
  'DrawWorkKey',
  'Plan',
  'ScanMap',
  'Merge',
  'SummarizeMap',
  'Assign',
  'WriteMap',
  'Combine',
  'Manifest',
  'Record',
];
const COMBINES = [
  ['CombineTrain', 'train'],
  ['CombineValidation', 'validation'],
  ['CombineTest', 'test'],
] as const;
const MAPS = [
  ['ScanMap', 'scan', 'Scan'],
  ['SummarizeMap', 'summarize', 'Summarize'],
  ['WriteMap', 'write', 'Write'],
] as const;

type Nested = { States?: Record<string, State> } | undefined;

/** Every state of the definition, the maps' item processors and the Parallel's branches included, by name. */
function allStates(): [string, State][] {
  return Object.entries(states()).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...[state.ItemProcessor as Nested, ...((state.Branches as Nested[] | undefined) ?? [])].flatMap((inner) =>
      Object.entries(inner?.States ?? {}),
    ),
  ]);
}

describe('the synthesized freeze state machine definition', () => {
  it('is valid Amazon States Language by asl-validator, with its paths and ARNs checked', () => {
    // A copy: the validator writes each state's default QueryLanguage into what it is given.
    const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is refused by the same validator once a transition points nowhere, so the check can fail', () => {
    const broken = structuredClone(definition) as { States: Record<string, State> };
    broken.States.ScanMap!.Next = 'Nowhere';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('is a Standard machine that draws the work key, then runs plan, scan map, merge, summarize map, assign, write map, combine, manifest and record in order', () => {
    expect(onlyResource(template, 'AWS::StepFunctions::StateMachine').props.StateMachineType).toBe(
      'STANDARD',
    );
    const path: string[] = [];
    for (let name: string | undefined = definition.StartAt as string; name; ) {
      path.push(name);
      name = states()[name]!.Next as string | undefined;
    }
    expect(path).toEqual(MAIN_PATH);
    expect(states().Record!.End).toBe(true);
  });

  it("sends each coordinator step its phase, the job id and (after plan) the work key, and plan's answer to $.plan for the maps to read", () => {
    const coordinator = fnArn(logicalId(vault.freezeCoordinatorFunction));
    for (const name of ['Plan', 'Merge', 'Assign', 'Manifest', 'Record']) {
      const state = states()[name]!;
      expect(state.Resource).toBe(coordinator);
      expect(state.Parameters).toEqual(
        name === 'Plan'
          ? { phase: 'plan', 'jobId.$': '$.jobId', 'key.$': '$.work.key' }
          : { phase: name.toLowerCase(), 'jobId.$': '$.jobId', 'key.$': '$.plan.key' },
      );
      if (name === 'Record') expect(state).not.toHaveProperty('ResultPath');
      else expect(state.ResultPath).toBe(name === 'Plan' ? '$.plan' : null);
    }
  });

  it('carries the work key only in the state: from the plan answer to each step, never to S3, the logs or the output', () => {
    expect(WORK_KEY_PATH).toBe('$.plan.key');
    const text = JSON.stringify(definition);
    // Read only by Parameters and ItemSelector: no ResultWriter, ItemReader or Fail state names it.
    const readers = allStates().flatMap(([name, state]) =>
      Object.entries(state)
        .filter(([, value]) => JSON.stringify(value).includes('plan.key'))
        .map(([field]) => `${name}.${field}`),
    );
    expect(readers.sort()).toEqual(
      [
        'Merge.Parameters',
        'Assign.Parameters',
        'Combine.Branches',
        'CombineTrain.Parameters',
        'CombineValidation.Parameters',
        'CombineTest.Parameters',
        'Manifest.Parameters',
        'Record.Parameters',
        'ScanMap.ItemSelector',
        'SummarizeMap.ItemSelector',
        'WriteMap.ItemSelector',
      ].sort(),
    );
    expect(text).not.toContain('ResultWriter');
    // The execution logs no input or output, so no log event holds the state.
    const props = onlyResource(template, 'AWS::StepFunctions::StateMachine').props;
    expect(props.LoggingConfiguration).toMatchObject({ IncludeExecutionData: false });
    // The last state's output replaces the state with the record step's { jobId }: the
    // execution's output, sent in its status-change event, holds no key.
    // (no ResultPath is ASL's "$").
    expect(states().Record).toMatchObject({ End: true });
    for (const field of ['ResultPath', 'ResultSelector', 'OutputPath'])
      expect(states().Record).not.toHaveProperty(field);
  });

  it('draws the work key once, before plan, from two random UUIDs, and hands only plan the drawn key', () => {
    expect(states().DrawWorkKey).toEqual({
      Type: 'Pass',
      Parameters: { 'key.$': "States.Hash(States.Format('{}{}', States.UUID(), States.UUID()), 'SHA-256')" },
      ResultPath: '$.work',
      Next: 'Plan',
    });
    // A retried plan is the same Task state run again: its event, key included, is the same.
    const readers = allStates()
      .filter(([, state]) => JSON.stringify(state).includes('$.work.key'))
      .map(([name]) => name);
    expect(readers).toEqual(['Plan']);
    expect(states().Plan!.Retry).toBeDefined();
  });

  it('combines each split file in its own coordinator invoke, the three in one Parallel state whose output is its input', () => {
    const coordinator = fnArn(logicalId(vault.freezeCoordinatorFunction));
    const combine = states().Combine!;
    expect(combine.Type).toBe('Parallel');
    expect(combine.ResultPath).toBeNull();
    const branches = combine.Branches as { StartAt: string; States: Record<string, State> }[];
    expect(branches.map((b) => b.StartAt)).toEqual(COMBINES.map(([name]) => name));
    for (const [index, [name, split]] of COMBINES.entries()) {
      const branch = branches[index]!;
      // One task per branch: a failure fails the branch, the Parallel state and its Catch.
      expect(Object.keys(branch.States)).toEqual([name]);
      const task = branch.States[name]!;
      expect(task.Resource).toBe(coordinator);
      expect(task.Parameters).toEqual({
        phase: 'combine',
        'jobId.$': '$.jobId',
        'key.$': '$.plan.key',
        split,
      });
      expect(task.End).toBe(true);
      expect(task).not.toHaveProperty('Catch');
    }
  });

  it.each(MAPS)(
    "runs %s as a Distributed Map of Standard children over the plan's item list in the work bucket, each item the %s phase of one shard",
    (mapName, phase, taskName) => {
      const map = states()[mapName]!;
      expect(map.Type).toBe('Map');
      const processor = map.ItemProcessor as {
        ProcessorConfig: unknown;
        StartAt: string;
        States: Record<string, State>;
      };
      expect(processor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
      expect(map.ItemReader).toEqual({
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: fakeBucketName(logicalId(vault.workBucket)), 'Key.$': '$.plan.items.key' },
      });
      expect(map.ItemSelector).toEqual({
        phase,
        'jobId.$': '$$.Map.Item.Value.jobId',
        'key.$': '$.plan.key',
        'shard.$': '$$.Map.Item.Value.shard',
      });
      expect(map.ToleratedFailurePercentage).toBe(0);
      expect(map.ResultPath).toBeNull();
      expect(map).not.toHaveProperty('ResultWriter');
      expect(map).not.toHaveProperty('ItemsPath');
      // One task per child: the shard function, answering only its shard number.
      expect(Object.keys(processor.States)).toEqual([taskName]);
      const task = processor.States[taskName]!;
      expect(task.Resource).toBe(fnArn(logicalId(vault.freezeShardFunction)));
      expect(task).not.toHaveProperty('Parameters');
      expect(task.OutputPath).toBe('$.shard');
      expect(task.End).toBe(true);
    },
  );

  it('caps every map at 20 shard steps at once by default, and at the shardConcurrency prop when given', () => {
    for (const [mapName] of MAPS) expect(states()[mapName]!.MaxConcurrency).toBe(20);
    const custom = freezeDefinition(synthStack({ props: { vault: { shardConcurrency: 7 } } }).template);
    for (const [mapName] of MAPS) expect(stateNamed(custom, mapName).MaxConcurrency).toBe(7);
  });

  it('retries every task on Lambda throttling and service errors with exponential backoff and full jitter', () => {
    const tasks = allStates().filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(
      [
        'Assign',
        ...COMBINES.map(([name]) => name),
        'Manifest',
        'MarkFailed',
        'Merge',
        'Plan',
        'Record',
        'Scan',
        'Summarize',
        'Write',
      ].sort(),
    );
    for (const [name, task] of tasks) {
      const retries = task.Retry as Record<string, unknown>[];
      expect(retries, name).toContainEqual({
        ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 60,
        JitterStrategy: 'FULL',
      });
      expect(retries, name).toContainEqual(
        expect.objectContaining({ ErrorEquals: [...TRANSIENT_STEP_ERRORS] }),
      );
    }
  });

  it('names the transient step error as a step throws it, and a data error otherwise', () => {
    expect(stepError(new BackendUnavailableError('S3 said SlowDown')).name).toBe(TRANSIENT_STEP_ERRORS[0]);
    const dataError = stepError(new DatasetError('DATASET.TYPE_MISMATCH', 'not a number'));
    expect(dataError.name).toBe('DATASET.TYPE_MISMATCH');
    expect(TRANSIENT_STEP_ERRORS).not.toContain(dataError.name);
  });

  it('retries no error that is a fact about the data: no States.ALL, States.TaskFailed or typed refusal', () => {
    const retried = allStates().flatMap(([, state]) =>
      ((state.Retry as { ErrorEquals: string[] }[] | undefined) ?? []).flatMap((r) => r.ErrorEquals),
    );
    const allowed = new Set<string>([
      ...TRANSIENT_LAMBDA_ERRORS,
      ...TRANSIENT_STEP_ERRORS,
      'States.ItemReaderFailed',
    ]);
    expect(retried.filter((error) => !allowed.has(error))).toEqual([]);
  });

  it("catches every error of every main-path state into the coordinator's fail phase, which ends in the Fail state", () => {
    // A Pass state takes no Catch in ASL: should drawing the key fail, the execution ends FAILED
    // and the endings rule fails the job (vault-freeze-endings.ts).
    for (const name of MAIN_PATH.filter((state) => state !== 'DrawWorkKey')) {
      expect(states()[name]!.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' },
      ]);
    }
    const markFailed = states().MarkFailed!;
    expect(markFailed.Resource).toBe(fnArn(logicalId(vault.freezeCoordinatorFunction)));
    expect(markFailed.Parameters).toEqual({ phase: 'fail', 'jobId.$': '$.jobId', 'error.$': '$.error' });
    expect(markFailed.Next).toBe('Failed');
    // A failure to record the failure still ends the execution failed, with the first error.
    expect(markFailed.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failError', Next: 'Failed' },
    ]);
    expect(states().Failed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it("times out the execution after a day and each task a minute after Lambda's own 15-minute limit", () => {
    expect(definition.TimeoutSeconds).toBe(FREEZE_EXECUTION_TIMEOUT.toSeconds());
    // The plan step's claim on the job lasts as long as an execution may run, and no longer.
    expect(FREEZE_EXECUTION_TIMEOUT.toMilliseconds()).toBe(STEPS_LEASE_MS);
    for (const [name, state] of allStates().filter(([, s]) => s.Type === 'Task')) {
      expect(state.TimeoutSeconds, name).toBe(960);
    }
    for (const fn of [vault.freezeCoordinatorFunction, vault.freezeShardFunction]) {
      const props = template.toJSON().Resources[logicalId(fn)].Properties;
      expect(props.Timeout).toBe(900);
    }
  });

  it("tells both freeze functions the work bucket and the shard function's memory the plan cuts shards to", () => {
    for (const fn of [vault.freezeCoordinatorFunction, vault.freezeShardFunction]) {
      const env = template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
      expect(env.SPLITVAULT_WORK_BUCKET).toEqual({ Ref: logicalId(vault.workBucket) });
      expect(env.SPLITVAULT_SHARD_MEMORY).toBe(String(3008 * 2 ** 20));
      expect(env.SPLITVAULT_BACKEND).toBe('aws');
    }
    const shard = template.toJSON().Resources[logicalId(vault.freezeShardFunction)].Properties;
    expect(shard.MemorySize).toBe(3008);
  });

  it('logs every execution event without its data, and traces when tracing is on', () => {
    const props = onlyResource(template, 'AWS::StepFunctions::StateMachine').props;
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
  });
});

describe('the work bucket', () => {
  const workBucket = () => template.toJSON().Resources[logicalId(vault.workBucket)].Properties;

  it('has no Object Lock, so a retried step can overwrite its work objects and they can expire', () => {
    expect(workBucket()).not.toHaveProperty('ObjectLockEnabled');
    expect(workBucket()).not.toHaveProperty('ObjectLockConfiguration');
  });

  it('is encrypted, private, logged to the access-log bucket, and expires every object after three days', () => {
    const bucket = workBucket();
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(vault.accessLogBucket) },
      LogFilePrefix: 'work-bucket/',
    });
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Id: 'expire-work', ExpirationInDays: 3, Status: 'Enabled' }),
    );
  });

  it('refuses every request that does not use TLS', () => {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === logicalId(vault.workBucket),
    );
    expect(policy!.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('the dispatch threshold the API is given', () => {
  it.each([128, 3008, 10240])(
    'sends a dataset to the machine exactly when the one-process engine would need shards, for %i MiB workers',
    (memory) => {
      const threshold = shardedFreezeBytes(memory);
      const bytes = memory * 2 ** 20;
      expect(needsShards(threshold, bytes)).toBe(false);
      expect(needsShards(threshold + 1, bytes)).toBe(true);
    },
  );

  it("gives the API function the machine and the threshold of the worker's memory", () => {
    const env = template.toJSON().Resources[logicalId(vault.apiFunction)].Properties.Environment.Variables;
    expect(env.SPLITVAULT_FREEZE_MACHINE).toEqual({ Ref: logicalId(vault.freezeMachine) });
    expect(env.SPLITVAULT_SHARDED_FREEZE_BYTES).toBe(String(shardedFreezeBytes(3008)));
  });
});
