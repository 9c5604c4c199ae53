/**
 * A freeze job the state machine runs is held by the machine (lease owner step-functions, 24 h)
 * and only its MarkFailed step ends it on failure. On AWS nothing else looks at such a job: no
 * worker takes it over and nothing sweeps lapsed leases. So an execution that ends without
 * MarkFailed landing (an operator's StopExecution, which runs no Catch; MarkFailed itself
 * failing, which the machine catches straight into Failed; the 24 h timeout) leaves its job
 * `running` forever, and only the timeout raises an alarm.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { logicalId, synthStack } from '../infra/synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

type Props = Record<string, unknown>;

const refersTo = (value: unknown, id: string) => JSON.stringify(value ?? null).includes(`"${id}"`);

describe('a freeze execution that ends outside its fail step', () => {
  it('is seen for every ending the Catch never runs for: aborted and failed executions alarm or end their job', () => {
    const machine = logicalId(vault.freezeMachine);
    const alarmed = new Set(
      Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .map((a) => a.Properties as Props)
        .filter((p) => p.Namespace === 'AWS/States' && refersTo(p.Dimensions, machine))
        .map((p) => String(p.MetricName)),
    );
    // An EventBridge rule on the machine's execution status changes that ends the job would do too.
    const ruled = new Set(
      Object.values(template.findResources('AWS::Events::Rule'))
        .map((r) => r.Properties as Props)
        .map((p) => p.EventPattern as { source?: string[]; detail?: { status?: string[] } } | undefined)
        .filter((pattern) => pattern?.source?.includes('aws.states'))
        .flatMap((pattern) => pattern?.detail?.status ?? []),
    );
    const seen = (metric: string, status: string) => alarmed.has(metric) || ruled.has(status);
    expect({
      aborted: seen('ExecutionsAborted', 'ABORTED'),
      failed: seen('ExecutionsFailed', 'FAILED'),
      timedOut: seen('ExecutionsTimedOut', 'TIMED_OUT'),
    }).toEqual({ aborted: true, failed: true, timedOut: true });
  });
});
