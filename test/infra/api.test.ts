import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { logicalId, synthStack, synthVault } from './synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack({
    amend: (stack) => {
      for (const [role, grant] of [
        ['Reader', (g: iam.IGrantable) => stack.vault.grantRead(g)],
        ['Writer', (g: iam.IGrantable) => stack.vault.grantWrite(g)],
        ['Deployer', (g: iam.IGrantable) => stack.vault.grantDeploy(g)],
      ] as const) {
        grant(new iam.Role(stack, role, { assumedBy: new iam.AccountRootPrincipal() }));
      }
    },
  });
  template = synth.template;
  vault = synth.stack.vault;
});

describe('the HTTP API', () => {
  it('requires IAM on every route except the health check', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => [
      r.Properties.RouteKey,
      r.Properties.AuthorizationType,
    ]);
    expect(Object.fromEntries(routes)).toEqual({ 'GET /v1/health': 'NONE', 'ANY /{proxy+}': 'AWS_IAM' });
  });

  it('sends every route to the API function', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(vault.apiFunction), 'Arn'] },
    });
  });

  it('throttles the default stage and writes JSON access logs with the caller to a kept log group', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage).toHaveLength(1);
    const props = stage[0]!.Properties;
    expect(props).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const format = JSON.parse(props.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      caller: '$context.identity.userArn',
      status: '$context.status',
    });
    const group = props.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[group].Properties.RetentionInDays).toBe(365);
  });
});

describe('the grant methods', () => {
  const apiRef = () => ({ Ref: logicalId(vault.httpApi) });
  const arn = (route: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':execute-api:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':',
        apiRef(),
        `/$default/${route}`,
      ],
    ],
  });
  const grantedTo = (role: string) => {
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref.startsWith(role)),
    );
    if (!policy) throw new Error(`no policy for ${role}`);
    return policy.Properties.PolicyDocument.Statement;
  };

  it.each([
    ['grantRead', 'Reader', ['GET/v1/*']],
    ['grantWrite', 'Writer', ['POST/v1/datasets', 'POST/v1/splits', 'POST/v1/splits/*/verify']],
    ['grantDeploy', 'Deployer', ['PUT/v1/aliases/*', 'POST/v1/aliases/*/rollback']],
  ])('%s allows execute-api:Invoke on exactly its routes', (_method, role, routes) => {
    const statements = grantedTo(role);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    const byText = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect([statements[0].Resource].flat().sort(byText)).toEqual(routes.map(arn).sort(byText));
  });
});

describe('alarms and outputs', () => {
  it('alarm on worker errors, failed jobs waiting in the queue, API 5xx responses, tampering, verify failures, stuck jobs, failed, aborted and timed-out freeze executions and unfailed freeze endings', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => [a.Namespace, a.MetricName]).sort()).toEqual([
      ['AWS/ApiGateway', '5xx'],
      ['AWS/Lambda', 'Errors'],
      ['AWS/Lambda', 'Invocations'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
      ['AWS/States', 'ExecutionsAborted'],
      ['AWS/States', 'ExecutionsFailed'],
      ['AWS/States', 'ExecutionsTimedOut'],
      ['splitvault/Test/SplitVault', 'StuckJobs'],
      ['splitvault/Test/SplitVault', 'VerifyFailures'],
    ]);
    for (const metricName of ['ExecutionsTimedOut', 'ExecutionsFailed', 'ExecutionsAborted']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: logicalId(vault.freezeMachine) } }],
      });
    }
    for (const metricName of ['StuckJobs', 'VerifyFailures']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Statistic: 'Sum',
        Period: 300,
        Dimensions: [{ Name: 'service', Value: 'worker' }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(vault.tamperWatch) } }],
    });
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(vault.workerFunction) } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(vault.httpApi) } }],
    });
  });

  it('notify no one by default, and the given topic from every alarm when one is passed', () => {
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')))
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    let topicId = '';
    const { template: withTopic } = synthVault((stack) => {
      const topic = new sns.Topic(stack, 'Pager');
      topicId = stack.getLogicalId(topic.node.defaultChild as CfnElement);
      return { alarmTopic: topic };
    });
    const alarms = Object.values(withTopic.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(10);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('output the API URL, the bucket name and the table name', () => {
    expect(template.findOutputs('*')).toEqual({
      ApiUrl: expect.objectContaining({ Value: expect.anything() }),
      BucketName: expect.objectContaining({ Value: { Ref: logicalId(vault.bucket) } }),
      TableName: expect.objectContaining({ Value: { Ref: logicalId(vault.table) } }),
    });
    expect(JSON.stringify(template.findOutputs('ApiUrl'))).toContain(logicalId(vault.httpApi));
  });
});
