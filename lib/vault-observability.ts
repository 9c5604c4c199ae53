import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { JOB_METRICS } from '../functions/handlers/job-metrics.js';

/** POWERTOOLS_SERVICE_NAME of the worker: the one dimension of its metrics. */
export const WORKER_SERVICE = 'worker';

/** Metrics counted from the API function's request log lines (functions/handlers/lambda.ts). */
export const API_METRICS = {
  clientErrors: 'ClientErrors',
  serverErrors: 'ServerErrors',
  aliasMoves: 'AliasMoves',
} as const;

/** Route patterns as the request log writes them (Hono's routePath). */
const ALIAS_ROUTES = { move: '/v1/aliases/:name', rollback: '/v1/aliases/:name/rollback' };

/**
 * One namespace per deployment, so two stacks in one account (staging and production) never
 * add up in the same metric: `splitvault/<stack name>/<construct path in the stack>`.
 */
export function metricsNamespace(vault: Construct): string {
  const stack = Stack.of(vault);
  return `splitvault/${stack.stackName}/${vault.node.path.slice(stack.node.path.length + 1)}`;
}

export interface VaultMetricSources {
  readonly namespace: string;
  readonly apiFunction: lambda.Function;
  readonly workerFunction: lambda.Function;
  readonly failureQueue: sqs.IQueue;
  readonly httpApi: apigw.IHttpApi;
  readonly table: dynamodb.ITableV2;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A worker metric (embedded metric format, dimension `service`). */
export function workerMetric(
  namespace: string,
  name: (typeof JOB_METRICS)[keyof typeof JOB_METRICS],
  statistic: string = cloudwatch.Stats.SUM,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName: name,
    dimensionsMap: { service: WORKER_SERVICE },
    statistic,
    period: FIVE_MINUTES,
  });
}

/**
 * Turns the API's request log into per-route error counts and alias moves. Metric filters
 * instead of embedded metrics keep the metrics library out of the API bundle, whose cold-start
 * budget has no room for it (docs/DEPLOY.md, "Operating it").
 */
export function createApiMetricFilters(scope: Construct, sources: VaultMetricSources): void {
  const logGroup = sources.apiFunction.logGroup;
  const byRoute = { Method: '$.method', Route: '$.route' };
  const status = (op: string, value: number) => logs.FilterPattern.numberValue('$.status', op, value);
  const call = (method: string, route: string) =>
    logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.method', '=', method),
      logs.FilterPattern.stringValue('$.route', '=', route),
    );
  const filters = {
    ApiClientErrorsFilter: {
      metricName: API_METRICS.clientErrors,
      filterPattern: logs.FilterPattern.all(status('>=', 400), status('<', 500)),
      dimensions: byRoute,
    },
    ApiServerErrorsFilter: {
      metricName: API_METRICS.serverErrors,
      filterPattern: status('>=', 500),
      dimensions: byRoute,
    },
    AliasMovesFilter: {
      metricName: API_METRICS.aliasMoves,
      filterPattern: logs.FilterPattern.all(
        status('<', 300),
        logs.FilterPattern.any(call('PUT', ALIAS_ROUTES.move), call('POST', ALIAS_ROUTES.rollback)),
      ),
      dimensions: undefined,
    },
  };
  for (const [id, filter] of Object.entries(filters)) {
    new logs.MetricFilter(scope, id, {
      logGroup,
      metricNamespace: sources.namespace,
      metricValue: '1',
      unit: cloudwatch.Unit.COUNT,
      ...filter,
    });
  }
}
