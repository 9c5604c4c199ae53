/**
 * A freeze execution that ends without its MarkFailed step (stopped, timed out, or failed with
 * the fail step itself failing) still ends its job: the machine's status-change events invoke
 * the coordinator's fail step, and each such ending raises an alarm. What the rule delivers,
 * and what that does to a running job, is judged on moto's EventBridge in
 * freeze-endings-moto.test.ts; this file holds the template's other promises.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { UNCAUGHT_ENDINGS } from '../../lib/vault-freeze-endings.js';
import { endingsRule } from './freeze-endings-rule.js';
import { logicalId, synthStack } from './synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

type Props = Record<string, unknown>;

describe('the freeze endings rule', () => {
  it("hears only this machine's failed, timed-out and aborted executions and invokes the coordinator", () => {
    const rule = endingsRule(template);
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
    const target = endingsRule(template).Targets[0]!;
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
