/**
 * A freeze execution that ends without its MarkFailed step (stopped, timed out, or failed with
 * the fail step itself failing) still ends its job: the machine's status-change events invoke
 * the coordinator's fail step, and each such ending raises an alarm.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreezeStepHandler } from '../../functions/handlers/freeze-step-handler.js';
import { COORDINATOR_PHASES, runFreezeStep } from '../../functions/jobs/freeze-steps-job.js';
import type { SplitVault } from '../../lib/splitvault.js';
import { UNCAUGHT_ENDINGS } from '../../lib/vault-freeze-endings.js';
import { csvDataset, RANDOM_SPEC } from '../api/support/dataset.js';
import {
  embeddedStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';
import { logicalId, synthStack } from './synth.js';

let template: Template;
let vault: SplitVault;
let backend: FreezeStepBackend;
beforeAll(async () => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
  backend = await embeddedStepBackend();
});
afterAll(async () => {
  await backend?.close();
});

type Props = Record<string, unknown>;
type Target = {
  Arn: unknown;
  DeadLetterConfig: { Arn: unknown };
  RetryPolicy?: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
  InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
};

const endingsRule = () => {
  const rules = Object.values(template.findResources('AWS::Events::Rule'))
    .map((r) => r.Properties as Props)
    .filter((p) => JSON.stringify(p.EventPattern).includes('"aws.states"'));
  expect(rules).toHaveLength(1);
  return rules[0] as { EventPattern: Props; Targets: Target[] };
};

/** What EventBridge sends the target: each `<name>` replaced by its path's value in the event. */
function transform(transformer: Target['InputTransformer'], event: Props): unknown {
  const valueAt = (path: string) =>
    path
      .replace(/^\$\./, '')
      .split('.')
      .reduce<unknown>((value, key) => (value as Props)[key], event);
  let text = transformer.InputTemplate;
  for (const [name, path] of Object.entries(transformer.InputPathsMap)) {
    const value = valueAt(path);
    // A bare placeholder becomes the JSON value; one inside a string, the text itself.
    text = text.replaceAll(`:<${name}>`, `:${JSON.stringify(value)}`).replaceAll(`<${name}>`, String(value));
  }
  return JSON.parse(text);
}

/** A "Step Functions Execution Status Change" event as EventBridge delivers it. */
const statusChange = (jobId: string, status: string) => ({
  version: '0',
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: {
    executionArn: `arn:aws:states:eu-west-1:111122223333:execution:FreezeMachine:${jobId}`,
    stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:FreezeMachine',
    name: jobId,
    status,
    input: JSON.stringify({ jobId }),
    output: null,
    error: null,
    cause: null,
  },
});

describe('the freeze endings rule', () => {
  it("hears only this machine's failed, timed-out and aborted executions and invokes the coordinator", () => {
    const rule = endingsRule();
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: [...UNCAUGHT_ENDINGS], stateMachineArn: [{ Ref: logicalId(vault.freezeMachine) }] },
    });
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0]!.Arn).toEqual({
      'Fn::GetAtt': [logicalId(vault.freezeCoordinatorFunction), 'Arn'],
    });
  });

  it('retries an undelivered or failed fail event, then keeps it in an encrypted queue that alarms', () => {
    const target = endingsRule().Targets[0]!;
    const queue = (target.DeadLetterConfig.Arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[queue]).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
    });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(vault.freezeCoordinatorFunction) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
    });
  });

  it.each(UNCAUGHT_ENDINGS)(
    'fails a job left running by an execution that ended %s, and leaves it failed when heard twice',
    async (status) => {
      const { jobId } = await seedFreezeJob(backend.deps, [csvDataset(400).bytes], RANDOM_SPEC);
      await runFreezeStep(backend.deps, { phase: 'plan', jobId });
      expect((await backend.deps.lineage.getJob(jobId))?.state).toBe('running');
      const coordinator = createFreezeStepHandler(backend.deps, COORDINATOR_PHASES);
      const event = transform(endingsRule().Targets[0]!.InputTransformer, statusChange(jobId, status));
      await coordinator(event);
      const failed = await backend.deps.lineage.getJob(jobId);
      expect(failed).toMatchObject({
        state: 'failed',
        problem: { code: 'INTERNAL', status: 500, detail: expect.stringContaining(status) },
      });
      expect(failed).not.toHaveProperty('lease');
      await coordinator(event);
      expect(await backend.deps.lineage.getJob(jobId)).toEqual(failed);
    },
  );
});

describe('the freeze machine alarms', () => {
  it('fire on failed, aborted and timed-out executions of this machine', () => {
    const metrics = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties as Props)
      .filter(
        (p) =>
          p.Namespace === 'AWS/States' &&
          JSON.stringify(p.Dimensions).includes(`"${logicalId(vault.freezeMachine)}"`),
      )
      .map((p) => p.MetricName);
    expect(metrics.sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
  });
});
