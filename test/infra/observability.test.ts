import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { logicalId, synthStack, synthVault } from './synth.js';

const NAMESPACE = 'splitvault/Test/SplitVault';
let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

const resources = (t: Template, type: string) =>
  Object.values(t.findResources(type)).map((r) => r.Properties);
const fnProps = (t: Template, fn: SplitVault['apiFunction']) =>
  t.toJSON().Resources[logicalId(fn)].Properties;

interface Widget {
  properties: { title: string; metrics: unknown[][] };
}

/** The dashboard body with CloudFormation references written as `<ref>`, parsed. */
function dashboardWidgets(t: Template): Widget[] {
  const [dashboard] = resources(t, 'AWS::CloudWatch::Dashboard');
  const parts = dashboard.DashboardBody['Fn::Join'][1] as unknown[];
  const body = parts.map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return (JSON.parse(body) as { widgets: Widget[] }).widgets;
}

/** Each widget's title with its metrics as `namespace/name` (or the search expression). */
function chartedMetrics(t: Template): Record<string, string[]> {
  return Object.fromEntries(
    dashboardWidgets(t).map((w) => [
      w.properties.title,
      w.properties.metrics.map((m) =>
        typeof m[0] === 'string' ? `${m[0]}/${m[1]}` : String((m[0] as { expression: string }).expression),
      ),
    ]),
  );
}

describe('the metrics', () => {
  it('give the worker the EMF namespace of this deployment, its service name and tracing switch', () => {
    expect(vault.metricsNamespace).toBe(NAMESPACE);
    expect(fnProps(template, vault.workerFunction).Environment.Variables).toMatchObject({
      POWERTOOLS_METRICS_NAMESPACE: NAMESPACE,
      POWERTOOLS_SERVICE_NAME: 'worker',
      POWERTOOLS_TRACE_ENABLED: 'true',
    });
  });

  it("count 4xx and 5xx by method and route, and alias moves, from the API function's request log", () => {
    const filters = resources(template, 'AWS::Logs::MetricFilter');
    for (const filter of filters) {
      expect(filter.LogGroupName).toEqual({ Ref: logicalId(vault.apiFunction.logGroup) });
    }
    const byName = Object.fromEntries(filters.map((f) => [f.MetricTransformations[0].MetricName, f]));
    expect(Object.keys(byName).sort()).toEqual(['AliasMoves', 'ClientErrors', 'ServerErrors']);
    const perRoute = [
      { Key: 'Method', Value: '$.method' },
      { Key: 'Route', Value: '$.route' },
    ];
    expect(byName.ServerErrors).toMatchObject({
      FilterPattern: '{ $.status >= 500 }',
      MetricTransformations: [
        { MetricNamespace: NAMESPACE, MetricValue: '1', Unit: 'Count', Dimensions: perRoute },
      ],
    });
    expect(byName.ClientErrors).toMatchObject({
      FilterPattern: '{ ($.status >= 400) && ($.status < 500) }',
      MetricTransformations: [{ MetricNamespace: NAMESPACE, Dimensions: perRoute }],
    });
    // The route patterns are the ones the request log writes (test/api/lambda-handler.test.ts).
    expect(byName.AliasMoves.FilterPattern).toBe(
      '{ ($.status < 300) && ((($.method = "PUT") && ($.route = "/v1/aliases/:name")) || ' +
        '(($.method = "POST") && ($.route = "/v1/aliases/:name/rollback"))) }',
    );
    expect(byName.AliasMoves.MetricTransformations[0].Dimensions).toBeUndefined();
  });
});

describe('the dashboard', () => {
  it('charts freezes, durations, verify failures, alias moves, errors by route, jobs, Lambda and DynamoDB', () => {
    const worker = (name: string) => `${NAMESPACE}/${name}`;
    const search = (name: string) =>
      `SEARCH('{"${NAMESPACE}",Method,Route} MetricName="${name}"', 'Sum', 300)`;
    expect(chartedMetrics(template)).toEqual({
      Freezes: [worker('Freezes'), worker('FreezeFailures')],
      'Freeze duration (ms) and dataset bytes': [
        worker('FreezeDuration'),
        worker('FreezeDuration'),
        worker('FreezeBytes'),
      ],
      'Verifications and alias moves': [worker('Verifies'), worker('VerifyFailures'), worker('AliasMoves')],
      'API 5xx by route': [search('ServerErrors')],
      'API 4xx by route': [search('ClientErrors')],
      'Jobs retried, stuck and failed': [
        worker('JobRetries'),
        worker('StuckJobs'),
        'AWS/SQS/ApproximateNumberOfMessagesVisible',
      ],
      'Lambda errors and throttles': [
        'AWS/Lambda/Errors',
        'AWS/Lambda/Errors',
        'AWS/Lambda/Throttles',
        'AWS/Lambda/Throttles',
      ],
      'Lambda duration p99 (ms)': ['AWS/Lambda/Duration', 'AWS/Lambda/Duration'],
      'DynamoDB throttles and API requests': [
        'AWS/DynamoDB/ReadThrottleEvents',
        'AWS/DynamoDB/WriteThrottleEvents',
        'AWS/ApiGateway/Count',
      ],
    });
  });

  it('read the worker metrics with the one dimension the worker writes, service=worker', () => {
    const workerSeries = dashboardWidgets(template)
      .flatMap((w) => w.properties.metrics)
      .filter((m) => m[0] === NAMESPACE && m[1] !== 'AliasMoves');
    expect(workerSeries.length).toBeGreaterThan(0);
    for (const series of workerSeries) expect(series.slice(2, 4)).toEqual(['service', 'worker']);
  });
});

describe('tracing', () => {
  it('turn on active tracing for both functions by default', () => {
    for (const fn of [vault.apiFunction, vault.workerFunction]) {
      expect(fnProps(template, fn).TracingConfig).toEqual({ Mode: 'Active' });
    }
    const policies = JSON.stringify(resources(template, 'AWS::IAM::Policy'));
    expect(policies).toContain('xray:PutTraceSegments');
  });

  it('turn tracing off everywhere when the prop is false', () => {
    const { vault: off, template: untraced } = synthVault(() => ({ tracing: false }));
    for (const fn of [off.apiFunction, off.workerFunction]) {
      expect(fnProps(untraced, fn).TracingConfig).toBeUndefined();
    }
    expect(fnProps(untraced, off.workerFunction).Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe(
      'false',
    );
    expect(JSON.stringify(resources(untraced, 'AWS::IAM::Policy'))).not.toContain('xray:');
  });
});

describe('the alarm actions', () => {
  it('notify the topic from the verify-failure and stuck-job alarms only when one is given', () => {
    const named = (t: Template) =>
      resources(t, 'AWS::CloudWatch::Alarm').filter((a) =>
        ['VerifyFailures', 'StuckJobs'].includes(a.MetricName),
      );
    expect(named(template)).toHaveLength(2);
    for (const alarm of named(template)) expect(alarm.AlarmActions).toBeUndefined();
    let topicId = '';
    const { template: withTopic } = synthVault((stack) => {
      const topic = new sns.Topic(stack, 'Pager');
      topicId = stack.getLogicalId(topic.node.defaultChild as CfnElement);
      return { alarmTopic: topic };
    });
    expect(named(withTopic)).toHaveLength(2);
    for (const alarm of named(withTopic)) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });
});
