import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/** The endings of an execution that may skip its MarkFailed step. */
export const UNCAUGHT_ENDINGS = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** How long, and how often, an ending's fail event is retried before it lands in the queue. */
const ENDING_MAX_AGE = Duration.hours(6);
const ENDING_RETRIES = 2;

export interface FreezeEndings {
  readonly rule: events.Rule;
  /** Fail events neither EventBridge nor the coordinator could deliver or run. */
  readonly failureQueue: sqs.Queue;
}

/**
 * Ends the job of every freeze execution that ends failed, timed out or aborted. A timeout and
 * an operator's StopExecution run no Catch, and a MarkFailed step that fails itself is caught
 * straight into Failed: each would leave its job `running` under the machine's 24 h lease, and
 * on AWS nothing sweeps such a job. So the machine's own status-change events invoke the
 * coordinator's fail step with the job id (the execution name) and the status as the error.
 * The fail step leaves a finished job as it is, so an execution that did end through
 * MarkFailed changes nothing the second time.
 */
export function createFreezeEndings(
  scope: Construct,
  machine: sfn.IStateMachine,
  coordinator: lambda.IFunction,
): FreezeEndings {
  const failureQueue = new sqs.Queue(scope, 'FreezeEndingsFailureQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const status = events.EventField.fromPath('$.detail.status');
  const rule = new events.Rule(scope, 'FreezeEndingsRule', {
    description: 'Fails the job of a splitvault freeze execution that ended without its fail step.',
    eventPattern: {
      source: ['aws.states'],
      detailType: ['Step Functions Execution Status Change'],
      // This machine's executions only, each named by its job id, by the machine's exact ARN
      // (a Distributed Map's child executions, named otherwise, carry the ARN of their map run).
      detail: { status: [...UNCAUGHT_ENDINGS], stateMachineArn: [machine.stateMachineArn] },
    },
  });
  rule.addTarget(
    new targets.LambdaFunction(coordinator, {
      // The fail step's event (schemas/freeze-step.ts); the execution's own error and cause are
      // null for an aborted one, which the schema refuses, so the status names the error.
      event: events.RuleTargetInput.fromObject({
        phase: 'fail',
        jobId: events.EventField.fromPath('$.detail.name'),
        error: {
          Error: status,
          Cause: `the freeze execution ended ${status} without recording its job failed`,
        },
      }),
      deadLetterQueue: failureQueue,
      retryAttempts: ENDING_RETRIES,
      maxEventAge: ENDING_MAX_AGE,
    }),
  );
  // EventBridge invokes asynchronously: a fail step that throws (a throttled table) is
  // retried by Lambda, then kept in the same queue. Step Functions' synchronous invokes are
  // unaffected by this setting.
  coordinator.configureAsyncInvoke({
    onFailure: new SqsDestination(failureQueue),
    retryAttempts: ENDING_RETRIES,
    maxEventAge: ENDING_MAX_AGE,
  });
  return { rule, failureQueue };
}
