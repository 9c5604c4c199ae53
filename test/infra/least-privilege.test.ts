import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys, PARTITIONS } from '../../functions/adapters/aws/dynamo-keys.js';
import type { SplitVault } from '../../lib/splitvault.js';
import {
  BUCKET_ACTIONS,
  OBJECT_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
} from '../../lib/vault-permissions.js';
import { forbiddenGrants, functionStatements, putAllowed } from './policy-scan.js';
import { logicalId, synthStack } from './synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

describe('function permissions', () => {
  it('give no function a delete, retention-change or governance-bypass action', () => {
    expect(functionStatements(template).size).toBe(5);
    expect(forbiddenGrants(template)).toEqual([]);
  });

  const serviceStatements = () => {
    const all = functionStatements(template);
    return { api: all.get(logicalId(vault.apiFunction))!, worker: all.get(logicalId(vault.workerFunction))! };
  };

  it.each(['api', 'worker'] as const)(
    'give the %s function only the object, bucket and table actions it uses',
    (role) => {
      const bucketId = logicalId(vault.bucket);
      const tableId = logicalId(vault.table);
      const statements = serviceStatements()[role];
      const data = statements.filter((s) => JSON.stringify(s.Action).match(/"(s3|dynamodb):/));
      const actions = (s: (typeof data)[number]) => [s.Action].flat().sort().join(',');
      const sorted = (a: readonly string[]) => [...a].sort().join(',');
      expect(new Set(data.map(actions))).toEqual(
        new Set([OBJECT_ACTIONS, BUCKET_ACTIONS, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS].map(sorted)),
      );
      const byActions = (a: readonly string[]) => data.filter((s) => actions(s) === sorted(a));
      expect(JSON.stringify(byActions(OBJECT_ACTIONS)[0]!.Resource)).toContain(bucketId);
      expect(byActions(BUCKET_ACTIONS)[0]!.Resource).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
      const reads = JSON.stringify(byActions(TABLE_READ_ACTIONS)[0]!.Resource);
      expect(reads).toContain(tableId);
      expect(reads).toContain('/index/*');
      for (const put of byActions(TABLE_WRITE_ACTIONS)) {
        expect(put.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
        expect(JSON.stringify(put)).toContain('dynamodb:LeadingKeys');
      }
    },
  );

  it('grant no DynamoDB action the adapters never call', () => {
    const used = new Set<string>([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]);
    for (const statements of Object.values(serviceStatements())) {
      const granted = statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('dynamodb:'));
      expect(granted.filter((a) => !used.has(a))).toEqual([]);
    }
  });

  const item = (key: { pk: { S?: string } }, ...attributes: string[]) => ({
    pk: key.pk.S!,
    attributes: ['pk', 'sk', ...attributes],
  });
  it.each([
    ['api', 'a dataset record', true, item(keys.dataset('ab'), 'data')],
    ['api', 'a job', true, item(keys.job('j1'), 'state', 'data')],
    [
      'api',
      'an alias pointer',
      true,
      item(keys.aliasCurrent('prod'), 'gsi1pk', 'gsi1sk', 'revision', 'data'),
    ],
    ['api', 'an alias history item', true, item(keys.aliasMove('prod', 2), 'atKey', 'data')],
    ['api', 'an audit copy', true, { pk: 'AUDIT#ACTOR#alice', attributes: ['pk', 'sk', 'data'] }],
    ['api', 'a manifest', false, item(keys.manifest('m1'), 'data')],
    ['api', 'a freeze event', false, item(keys.freezeEvent('m1', '2026-01-01T00:00:00.000Z', 'r'), 'data')],
    ['api', 'a parent edge', false, item(keys.parentEdge('m1', 'm0'), 'gsi1pk', 'gsi1sk')],
    ['worker', 'a manifest', true, item(keys.manifest('m1'), 'data')],
    ['worker', 'a parent edge', true, item(keys.parentEdge('m1', 'm0'), 'gsi1pk', 'gsi1sk')],
    ['worker', 'a dataset-to-manifest edge', true, item(keys.datasetManifest('ab', 'm1'))],
    ['worker', 'a job', true, item(keys.job('j1'), 'state', 'data')],
    [
      'worker',
      'an artifact short-id index item',
      true,
      item(keys.artifactManifest('ab', 'm1'), 'gsi1pk', 'gsi1sk'),
    ],
    [
      'api',
      'an artifact short-id index item',
      false,
      item(keys.artifactManifest('ab', 'm1'), 'gsi1pk', 'gsi1sk'),
    ],
    ['worker', 'an audit entry', true, { pk: 'AUDIT', attributes: ['pk', 'sk', 'data'] }],
    ['worker', 'a dataset record with data', false, item(keys.dataset('ab'), 'data')],
    ['worker', 'an alias pointer', false, item(keys.aliasCurrent('prod'), 'revision', 'data')],
    ['worker', 'an alias history item', false, item(keys.aliasMove('prod', 2), 'atKey', 'data')],
    ['api', 'an item outside every family', false, { pk: 'OTHER#x', attributes: ['pk', 'sk'] }],
    ['worker', 'an item outside every family', false, { pk: 'OTHER#x', attributes: ['pk', 'sk'] }],
  ] as const)('answer whether the %s function may put %s (%s)', (role, _what, allowed, request) => {
    expect(putAllowed(serviceStatements()[role], request)).toBe(allowed);
  });

  it('cover every partition the adapter writes with a named family', () => {
    const builders = [
      keys.dataset('a'),
      keys.datasetManifest('a', 'm'),
      keys.manifest('m'),
      keys.artifactManifest('a', 'm'),
      keys.freezeEvent('m', '2026-01-01T00:00:00.000Z', 'r'),
      keys.parentEdge('m', 'p'),
      keys.aliasCurrent('n'),
      keys.aliasMove('n', 1),
      keys.job('j'),
    ];
    const prefixes = Object.values(PARTITIONS);
    for (const key of builders) expect(prefixes.some((p) => key.pk.S!.startsWith(p))).toBe(true);
  });

  it('let the API function invoke the worker and no other function', () => {
    const workerId = logicalId(vault.workerFunction);
    const invokes = [...functionStatements(template)].map(([fn, statements]) => [
      fn,
      statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('lambda:'))),
    ]);
    expect(Object.fromEntries(invokes)).toEqual({
      [logicalId(vault.apiFunction)]: [
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [workerId, 'Arn'] } },
      ],
      [workerId]: [],
      [logicalId(vault.tamperWatch)]: [],
      [logicalId(vault.freezeCoordinatorFunction)]: [],
      [logicalId(vault.freezeShardFunction)]: [],
    });
  });

  it('attach no managed policy to a function role', () => {
    // functionStatements throws when a role carries managed policies it can't inspect.
    expect(() => functionStatements(template)).not.toThrow();
  });
});

describe('the forbidden-action scan', () => {
  it.each([
    ['bucket.grantDelete', (v: SplitVault) => v.bucket.grantDelete(v.workerFunction), 's3:DeleteObject'],
    ['bucket.grantPut', (v: SplitVault) => v.bucket.grantPut(v.apiFunction), 's3:PutObjectRetention'],
    [
      'table.grantReadWriteData',
      (v: SplitVault) => v.table.grantReadWriteData(v.apiFunction),
      'dynamodb:DeleteItem',
    ],
    [
      'a governance bypass',
      (v: SplitVault) =>
        v.workerFunction.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['s3:BypassGovernanceRetention'], resources: ['*'] }),
        ),
      's3:BypassGovernanceRetention',
    ],
    [
      'an s3 wildcard',
      (v: SplitVault) =>
        v.apiFunction.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })),
      's3:DeleteObjectVersion',
    ],
    [
      'an allow-all-but statement',
      (v: SplitVault) =>
        v.apiFunction.addToRolePolicy(new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] })),
      '*',
    ],
  ])('reports a function role widened by %s', (_name, widen, expected) => {
    const widened = synthStack({ amend: (stack) => widen(stack.vault) });
    const findings = forbiddenGrants(widened.template);
    expect(findings.map((f) => f.forbidden)).toContain(expected);
  });
});
