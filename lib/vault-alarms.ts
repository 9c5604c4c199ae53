import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { JOB_METRICS } from '../functions/handlers/job-metrics.js';
import { workerMetric } from './vault-observability.js';

/** The signals that something needs a human; each notifies the `alarmTopic` prop when given. */
export interface VaultAlarms {
  readonly workerErrors: cloudwatch.Alarm;
  readonly failedJobs: cloudwatch.Alarm;
  readonly apiServerErrors: cloudwatch.Alarm;
  /** An append-only item (history, audit, manifest, lineage) was replaced or removed. */
  readonly tampering: cloudwatch.Alarm;
  /** A verification found a split not reproducible or its stored bytes changed, or could not run. */
  readonly verifyFailures: cloudwatch.Alarm;
  /** A job delivery found its job still held by an earlier attempt (see functions/handlers/job-metrics.ts). */
  readonly stuckJobs: cloudwatch.Alarm;
  /** A freeze state machine execution ran past its timeout: nothing marked its job failed. */
  readonly freezeTimeouts: cloudwatch.Alarm;
  /** A freeze state machine execution failed: a refused dataset, or a step or fail step that broke. */
  readonly freezeFailures: cloudwatch.Alarm;
  /** A freeze state machine execution was stopped (StopExecution), which runs no Catch. */
  readonly freezeAborts: cloudwatch.Alarm;
  /** The fail event of an execution that ended outside its fail step could not be run. */
  readonly freezeEndingFailures: cloudwatch.Alarm;
}

export interface VaultAlarmSources {
  readonly worker: lambda.IFunction;
  readonly failureQueue: sqs.IQueue;
  readonly httpApi: apigw.IHttpApi;
  /** Invoked only for changes to append-only items (see ./vault-tamper-watch.ts). */
  readonly tamperWatch: lambda.IFunction;
  readonly freezeMachine: sfn.IStateMachine;
  /** Where undelivered or failed fail events of ended executions wait (./vault-freeze-endings.ts). */
  readonly freezeEndingsQueue: sqs.IQueue;
  readonly topic?: sns.ITopic;
  /** Where the worker's embedded metrics go. */
  readonly namespace: string;
}

/**
 * Each alarm fires on the first occurrence: a failed freeze or verify is a dataset someone is
 * waiting for, and a 5xx from an API that only does lookups and writes is a bug, not noise.
 * Missing data means no traffic, which is healthy.
 */
export function createAlarms(scope: Construct, sources: VaultAlarmSources): VaultAlarms {
  const period = Duration.minutes(5);
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  const waiting = (queue: sqs.IQueue) =>
    queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM });
  const alarm = (id: string, alarmDescription: string, metric: cloudwatch.IMetric) =>
    new cloudwatch.Alarm(scope, id, {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription,
      metric,
    });
  const alarms: VaultAlarms = {
    workerErrors: alarm(
      'WorkerErrorsAlarm',
      'A splitvault worker invocation failed (freeze or verify job).',
      sources.worker.metricErrors(sum),
    ),
    failedJobs: alarm(
      'FailedJobsAlarm',
      'A splitvault job exhausted its retries and waits in the failure queue.',
      waiting(sources.failureQueue),
    ),
    apiServerErrors: alarm(
      'ApiServerErrorsAlarm',
      'The splitvault API answered with a 5xx status.',
      sources.httpApi.metricServerError(sum),
    ),
    tampering: alarm(
      'TamperingAlarm',
      'An append-only splitvault item (alias history, audit, manifest or lineage) was replaced or ' +
        'removed; the tamper-watch log group holds its old image, and PITR can restore the table.',
      sources.tamperWatch.metricInvocations(sum),
    ),
    verifyFailures: alarm(
      'VerifyFailuresAlarm',
      'A splitvault verification failed: a split no longer rebuilds to its hashes, its stored bytes ' +
        'changed, or the job could not run. The job and the split.verify audit entry say which.',
      workerMetric(sources.namespace, JOB_METRICS.verifyFailures),
    ),
    stuckJobs: alarm(
      'StuckJobsAlarm',
      'A splitvault job was delivered again while an earlier attempt still held it: that attempt hung ' +
        'or died, and the job stays running until it is given up on.',
      workerMetric(sources.namespace, JOB_METRICS.stuckJobs),
    ),
    freezeTimeouts: alarm(
      'FreezeTimeoutsAlarm',
      'A splitvault freeze state machine execution timed out. A timeout skips the Catch; the ' +
        'status-change rule fails its job with TIMED_OUT. The execution history shows the state that hung.',
      sources.freezeMachine.metricTimedOut(sum),
    ),
    freezeFailures: alarm(
      'FreezeFailuresAlarm',
      'A splitvault freeze state machine execution failed. Its job records why (a refused dataset ' +
        'names its DATASET code); if the fail step itself failed, the status-change rule fails the job.',
      sources.freezeMachine.metricFailed(sum),
    ),
    freezeAborts: alarm(
      'FreezeAbortsAlarm',
      'A splitvault freeze state machine execution was stopped. A stop skips the Catch; the ' +
        'status-change rule fails its job with ABORTED.',
      sources.freezeMachine.metricAborted(sum),
    ),
    freezeEndingFailures: alarm(
      'FreezeEndingFailuresAlarm',
      'A splitvault freeze execution ended outside its fail step and its job could not be failed: the ' +
        'fail event waits in the freeze endings failure queue, and the job stays running.',
      waiting(sources.freezeEndingsQueue),
    ),
  };
  if (sources.topic) {
    const action = new SnsAction(sources.topic);
    for (const each of Object.values(alarms)) each.addAlarmAction(action);
  }
  return alarms;
}
