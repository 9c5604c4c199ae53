import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { JOB_METRICS } from '../functions/handlers/job-metrics.js';
import { API_METRICS, type VaultMetricSources, workerMetric } from './vault-observability.js';

const FIVE_MINUTES = Duration.minutes(5);
const SUM = cloudwatch.Stats.SUM;

/** Every per-route series of one API metric, found by a search rather than listed by hand. */
function perRoute(namespace: string, metricName: string, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{"${namespace}",Method,Route} MetricName="${metricName}"', 'Sum', 300)`,
    label,
    usingMetrics: {},
    period: FIVE_MINUTES,
  });
}

function graph(
  title: string,
  left: cloudwatch.IMetric[],
  right: cloudwatch.IMetric[] = [],
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
}

/**
 * The one page an operator opens first: what the service did (freezes, verifications, alias
 * moves), what went wrong (errors by route, verify failures, retried and stuck jobs) and how
 * the platform under it is doing (Lambda errors, throttles and duration, DynamoDB throttles).
 */
export function createDashboard(scope: Construct, sources: VaultMetricSources): cloudwatch.Dashboard {
  const { namespace } = sources;
  const job = (name: (typeof JOB_METRICS)[keyof typeof JOB_METRICS], statistic?: string) =>
    workerMetric(namespace, name, statistic);
  const apiMetric = (metricName: string) =>
    new cloudwatch.Metric({ namespace, metricName, statistic: SUM, period: FIVE_MINUTES });
  const functions = [
    ['api', sources.apiFunction],
    ['worker', sources.workerFunction],
  ] as const;
  const perFunction = (
    pick: (fn: (typeof functions)[number][1], options: cloudwatch.MetricOptions) => cloudwatch.Metric,
    statistic: string,
    what: string,
  ) => functions.map(([name, fn]) => pick(fn, { label: `${name} ${what}`, statistic, period: FIVE_MINUTES }));
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.days(1) });
  dashboard.addWidgets(
    graph('Freezes', [job(JOB_METRICS.freezes), job(JOB_METRICS.freezeFailures)]),
    graph(
      'Freeze duration (ms) and dataset bytes',
      [
        job(JOB_METRICS.freezeDuration, cloudwatch.Stats.p(50)),
        job(JOB_METRICS.freezeDuration, cloudwatch.Stats.p(99)),
      ],
      [job(JOB_METRICS.freezeBytes, cloudwatch.Stats.MAXIMUM)],
    ),
    graph('Verifications and alias moves', [
      job(JOB_METRICS.verifies),
      job(JOB_METRICS.verifyFailures),
      apiMetric(API_METRICS.aliasMoves),
    ]),
  );
  dashboard.addWidgets(
    graph('API 5xx by route', [perRoute(namespace, API_METRICS.serverErrors, '5xx')]),
    graph('API 4xx by route', [perRoute(namespace, API_METRICS.clientErrors, '4xx')]),
    graph('Jobs retried, stuck and failed', [
      job(JOB_METRICS.jobRetries),
      job(JOB_METRICS.stuckJobs),
      sources.failureQueue.metricApproximateNumberOfMessagesVisible({
        label: 'in failure queue',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: FIVE_MINUTES,
      }),
    ]),
  );
  dashboard.addWidgets(
    graph('Lambda errors and throttles', [
      ...perFunction((fn, o) => fn.metricErrors(o), SUM, 'errors'),
      ...perFunction((fn, o) => fn.metricThrottles(o), SUM, 'throttles'),
    ]),
    graph(
      'Lambda duration p99 (ms)',
      perFunction((fn, o) => fn.metricDuration(o), cloudwatch.Stats.p(99), 'p99'),
    ),
    graph(
      'DynamoDB throttles and API requests',
      [
        sources.table.metric('ReadThrottleEvents', { statistic: SUM, period: FIVE_MINUTES }),
        sources.table.metric('WriteThrottleEvents', { statistic: SUM, period: FIVE_MINUTES }),
      ],
      [sources.httpApi.metricCount({ statistic: SUM, period: FIVE_MINUTES })],
    ),
  );
  return dashboard;
}
