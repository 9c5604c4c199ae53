/**
 * The freeze endings rule judged by an EventBridge that is not ours: its EventPattern and its
 * target's InputTransformer, taken from the synthesized template, run on moto's EventBridge
 * (bash scripts/with-emulators.sh) with an SQS queue in place of the coordinator, and what
 * reaches the queue is handed to the real coordinator handler on versitygw + moto.
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFreezeStepHandler } from '../../functions/handlers/freeze-step-handler.js';
import { COORDINATOR_PHASES, runFreezeStep } from '../../functions/jobs/freeze-steps-job.js';
import { UNCAUGHT_ENDINGS } from '../../lib/vault-freeze-endings.js';
import { csvDataset, RANDOM_SPEC } from '../api/support/dataset.js';
import {
  emulatorStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';
import { quoteBarePlaceholders, type RuleOnMoto, ruleToQueue } from './eventbridge-on-moto.js';
import { FAKE_ENV } from './freeze-definition.js';
import { type EndingsRule, endingsRule } from './freeze-endings-rule.js';
import { logicalId, synthStack } from './synth.js';

/** Every status a "Step Functions Execution Status Change" event carries. */
const ALL_STATUSES = ['RUNNING', 'SUCCEEDED', ...UNCAUGHT_ENDINGS] as const;

/** Fields of the event's detail that are strings whatever the status (Step Functions guide). */
const STRING_FIELDS = [
  '$.detail.name',
  '$.detail.status',
  '$.detail.executionArn',
  '$.detail.stateMachineArn',
];

const { partition, region, account } = FAKE_ENV;
const machineArnOf = (name: string) => `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;

/**
 * A status change as Step Functions sends it (the fields of DescribeExecution): an execution
 * of `machineArn` named `name`, with the dates as epoch milliseconds and `output`, `error` and
 * `cause` null where the status has none.
 */
function statusChange(machineArn: string, name: string, status: string): PutEventsRequestEntry {
  const executionArn = `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const ended = status !== 'RUNNING';
  return {
    // moto, unlike AWS, takes a PutEvents from an aws.* source, which lets the test play Step Functions.
    Source: 'aws.states',
    DetailType: 'Step Functions Execution Status Change',
    Resources: [executionArn],
    Detail: JSON.stringify({
      executionArn,
      stateMachineArn: machineArn,
      name,
      status,
      startDate: 1_764_500_000_000,
      stopDate: ended ? 1_764_500_042_000 : null,
      input: JSON.stringify({ jobId: name }),
      inputDetails: { included: true },
      output: status === 'SUCCEEDED' ? '{"manifest":"m"}' : null,
      outputDetails: status === 'SUCCEEDED' ? { included: true } : null,
      error: status === 'FAILED' ? 'States.TaskFailed' : null,
      cause: status === 'FAILED' ? 'MarkFailed: ProvisionedThroughputExceededException' : null,
      redriveCount: 0,
    }),
  };
}

/** The fail event the rule should deliver for an execution named `jobId` that ended `status`. */
const failEvent = (jobId: string, status: string) => ({
  phase: 'fail',
  jobId,
  error: { Error: status, Cause: `the freeze execution ended ${status} without recording its job failed` },
});

describe("the freeze endings rule on moto's EventBridge", () => {
  let rule: EndingsRule;
  let machineArn: string;
  let backend: FreezeStepBackend;
  let moto: RuleOnMoto;
  beforeAll(async () => {
    const synth = synthStack();
    rule = endingsRule(synth.template);
    const machineId = logicalId(synth.stack.vault.freezeMachine);
    machineArn = machineArnOf(machineId);
    backend = await emulatorStepBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  /** The rule as deployed, the machine's Ref standing for its ARN, targeting a fresh queue. */
  beforeEach(async () => {
    expect(rule.Targets).toHaveLength(1);
    const { InputPathsMap, InputTemplate } = rule.Targets[0]!.InputTransformer;
    // The quoting that stands in for AWS's is right only for placeholders holding strings.
    for (const path of Object.values(InputPathsMap)) expect(STRING_FIELDS).toContain(path);
    const pattern = JSON.parse(JSON.stringify(rule.EventPattern), (_key, value: unknown) =>
      (value as { Ref?: unknown } | null)?.Ref === undefined ? value : machineArn,
    );
    expect(JSON.stringify(pattern)).not.toMatch(/"Ref"|"Fn::/);
    moto = await ruleToQueue(pattern, { InputPathsMap, InputTemplate: quoteBarePlaceholders(InputTemplate) });
  });
  afterEach(() => moto?.close());

  it("delivers the failed, timed-out and aborted endings of this machine's executions, and nothing else", async () => {
    const name = (label: string) => `${label}-${randomUUID()}`;
    const own = Object.fromEntries(ALL_STATUSES.map((status) => [status, name(status.toLowerCase())]));
    const others = [
      machineArnOf('SomeoneElsesMachine'),
      // A Distributed Map's child executions carry an ARN that extends this machine's.
      `${machineArn}/ScanShards:${randomUUID()}`,
    ];
    await moto.put([
      ...ALL_STATUSES.map((status) => statusChange(machineArn, own[status]!, status)),
      ...others.flatMap((arn) => UNCAUGHT_ENDINGS.map((status) => statusChange(arn, name('other'), status))),
    ]);
    const delivered = (await moto.drain()).map((body) => JSON.parse(body) as { jobId: string });
    const byJob = (a: { jobId: string }, b: { jobId: string }) => a.jobId.localeCompare(b.jobId);
    expect(delivered.sort(byJob)).toEqual(
      UNCAUGHT_ENDINGS.map((status) => failEvent(own[status]!, status)).sort(byJob),
    );
  });

  it.each(UNCAUGHT_ENDINGS)(
    'fails a job left running by an execution that ended %s with what moto delivers, and a second delivery changes nothing',
    async (status) => {
      const { jobId } = await seedFreezeJob(backend.deps, [csvDataset(400).bytes], RANDOM_SPEC);
      await runFreezeStep(backend.deps, { phase: 'plan', jobId });
      expect((await backend.deps.lineage.getJob(jobId))?.state).toBe('running');
      // EventBridge delivers at least once: the same ending heard twice.
      await moto.put([statusChange(machineArn, jobId, status), statusChange(machineArn, jobId, status)]);
      const [first, second, ...more] = await moto.drain();
      expect(more).toEqual([]);
      const coordinator = createFreezeStepHandler(backend.deps, COORDINATOR_PHASES);
      await coordinator(JSON.parse(first!));
      const failed = await backend.deps.lineage.getJob(jobId);
      expect(failed).toMatchObject({
        state: 'failed',
        problem: { code: 'INTERNAL', status: 500, detail: expect.stringContaining(status) },
      });
      expect(failed).not.toHaveProperty('lease');
      await coordinator(JSON.parse(second!));
      expect(await backend.deps.lineage.getJob(jobId)).toEqual(failed);
    },
  );
});
