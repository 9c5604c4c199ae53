import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { BUCKET_ACTIONS, OBJECT_ACTIONS, TABLE_ACTIONS } from '../../lib/vault-permissions.js';
import { forbiddenGrants, functionStatements } from './policy-scan.js';
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
    expect(functionStatements(template).size).toBe(2);
    expect(forbiddenGrants(template)).toEqual([]);
  });

  it('give both functions the same object, bucket and table actions on this deployment only', () => {
    const bucketId = logicalId(vault.bucket);
    const tableId = logicalId(vault.table);
    for (const statements of functionStatements(template).values()) {
      const data = statements.filter((s) => JSON.stringify(s.Action).match(/"(s3|dynamodb):/));
      const byActions = Object.fromEntries(data.map((s) => [[...s.Action].sort().join(','), s.Resource]));
      expect(Object.keys(byActions).sort()).toEqual(
        [OBJECT_ACTIONS, BUCKET_ACTIONS, TABLE_ACTIONS].map((a) => [...a].sort().join(',')).sort(),
      );
      expect(JSON.stringify(byActions[[...OBJECT_ACTIONS].sort().join(',')])).toContain(bucketId);
      expect(byActions[[...BUCKET_ACTIONS].sort().join(',')]).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
      const tableResources = JSON.stringify(byActions[[...TABLE_ACTIONS].sort().join(',')]);
      expect(tableResources).toContain(tableId);
      expect(tableResources).toContain('/index/*');
    }
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
