import { Size } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { logicalId, synthStack, synthVault } from './synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

const fnProps = (fn: IConstruct) => template.toJSON().Resources[logicalId(fn)].Properties;

describe('the functions', () => {
  it.each([
    ['API', () => vault.apiFunction],
    ['worker', () => vault.workerFunction],
  ])('run the %s function as an ESM bundle on Node.js 22 on arm64 with source maps', (_name, fn) => {
    expect(fnProps(fn())).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('give both functions the backend settings the code reads from its environment', () => {
    const tableRef = { Ref: logicalId(vault.table) };
    const bucketRef = { Ref: logicalId(vault.bucket) };
    const common = {
      SPLITVAULT_BACKEND: 'aws',
      SPLITVAULT_BUCKET: bucketRef,
      SPLITVAULT_TABLE: tableRef,
      SPLITVAULT_RETENTION_MODE: 'GOVERNANCE',
      SPLITVAULT_RETENTION_DAYS: '365',
      SPLITVAULT_PRESIGN_SECONDS: '900',
      NODE_OPTIONS: '--enable-source-maps',
    };
    // The worker fails a job on the delivery after its last allowed run (workerRetryAttempts).
    expect(fnProps(vault.workerFunction).Environment.Variables).toEqual({
      ...common,
      POWERTOOLS_METRICS_NAMESPACE: 'splitvault/Test/SplitVault',
      POWERTOOLS_SERVICE_NAME: 'worker',
      POWERTOOLS_TRACE_ENABLED: 'true',
      SPLITVAULT_JOB_MAX_ATTEMPTS: '2',
    });
    expect(fnProps(vault.apiFunction).Environment.Variables).toEqual({
      ...common,
      SPLITVAULT_WORKER_FUNCTION: { Ref: logicalId(vault.workerFunction) },
      SPLITVAULT_API_ID: { Ref: logicalId(vault.httpApi) },
      SPLITVAULT_FREEZE_MACHINE: { Ref: logicalId(vault.freezeMachine) },
      SPLITVAULT_SHARDED_FREEZE_BYTES: String((3008 * 2 ** 20) / 4),
    });
  });

  it('tell the API function its HTTP API without making the API depend on the function', () => {
    const resources = template.toJSON().Resources as Record<string, unknown>;
    const api = JSON.stringify(resources[logicalId(vault.httpApi)]);
    expect(api).not.toContain(logicalId(vault.apiFunction));
    expect(dependencyCycle(resources)).toBeUndefined();
  });

  it('reserve 10 concurrent executions for the worker by default, and take the number from props', () => {
    expect(fnProps(vault.workerFunction).ReservedConcurrentExecutions).toBe(10);
    expect(fnProps(vault.apiFunction).ReservedConcurrentExecutions).toBeUndefined();
    const { vault: small, template: t } = synthVault(() => ({ workerReservedConcurrency: 3 }));
    expect(
      t.toJSON().Resources[logicalId(small.workerFunction)].Properties.ReservedConcurrentExecutions,
    ).toBe(3);
  });

  it('pass the git commit through when one is given', () => {
    const { vault: withCommit, template: t } = synthVault(() => ({ gitCommit: 'abc1234' }));
    const env = t.toJSON().Resources[logicalId(withCommit.apiFunction)].Properties.Environment.Variables;
    expect(env.SPLITVAULT_GIT_COMMIT).toBe('abc1234');
  });

  it('give the worker 15 minutes, the default memory and /tmp, and the API function 29 seconds', () => {
    expect(fnProps(vault.workerFunction)).toMatchObject({
      Timeout: 900,
      MemorySize: 3008,
      EphemeralStorage: { Size: 2048 },
    });
    expect(fnProps(vault.apiFunction)).toMatchObject({ Timeout: 29 });
  });

  it('size the worker from props', () => {
    const { vault: big, template: t } = synthVault(() => ({
      workerMemorySize: 10240,
      workerEphemeralStorageSize: Size.gibibytes(10),
    }));
    expect(t.toJSON().Resources[logicalId(big.workerFunction)].Properties).toMatchObject({
      MemorySize: 10240,
      EphemeralStorage: { Size: 10240 },
    });
  });

  it('retry failed worker jobs twice, then send them to an encrypted failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(vault.workerFunction) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(vault.failureQueue), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('log each function to its own log group kept for a year', () => {
    for (const fn of [vault.apiFunction, vault.workerFunction]) {
      const group = fnProps(fn).LoggingConfig.LogGroup.Ref as string;
      expect(template.toJSON().Resources[group]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 365 },
      });
    }
  });
});

/** The first resource cycle found through Ref, Fn::GetAtt and DependsOn, or undefined. */
function dependencyCycle(resources: Record<string, unknown>): string[] | undefined {
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const text = JSON.stringify(resource);
    const targets = new Set<string>();
    for (const match of text.matchAll(/"(?:Ref|Fn::GetAtt)":\s*(?:"([^"]+)"|\["([^"]+)")/g))
      targets.add((match[1] ?? match[2])!);
    for (const dep of [(resource as { DependsOn?: string | string[] }).DependsOn ?? []].flat())
      targets.add(dep);
    edges.set(id, new Set([...targets].filter((target) => target in resources)));
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path, id];
    state.set(id, 'open');
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
