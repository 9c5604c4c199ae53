import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The three signals that something needs a human; wire them to a topic with `alarm.addAlarmAction`. */
export interface VaultAlarms {
  readonly workerErrors: cloudwatch.Alarm;
  readonly failedJobs: cloudwatch.Alarm;
  readonly apiServerErrors: cloudwatch.Alarm;
}

export interface VaultAlarmSources {
  readonly worker: lambda.IFunction;
  readonly failureQueue: sqs.IQueue;
  readonly httpApi: apigw.IHttpApi;
}

/**
 * Each alarm fires on the first occurrence: a failed freeze or verify is a dataset someone is
 * waiting for, and a 5xx from an API that only does lookups and writes is a bug, not noise.
 * Missing data means no traffic, which is healthy.
 */
export function createAlarms(scope: Construct, sources: VaultAlarmSources): VaultAlarms {
  const period = Duration.minutes(5);
  const common = {
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  return {
    workerErrors: new cloudwatch.Alarm(scope, 'WorkerErrorsAlarm', {
      ...common,
      alarmDescription: 'A splitvault worker invocation failed (freeze or verify job).',
      metric: sources.worker.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
    }),
    failedJobs: new cloudwatch.Alarm(scope, 'FailedJobsAlarm', {
      ...common,
      alarmDescription: 'A splitvault job exhausted its retries and waits in the failure queue.',
      metric: sources.failureQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    }),
    apiServerErrors: new cloudwatch.Alarm(scope, 'ApiServerErrorsAlarm', {
      ...common,
      alarmDescription: 'The splitvault API answered with a 5xx status.',
      metric: sources.httpApi.metricServerError({ period, statistic: cloudwatch.Stats.SUM }),
    }),
  };
}
