import type { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import {
  BUCKET_ACTIONS,
  SHARD_BUCKET_ACTIONS,
  SHARD_KMS_WRITE_ACTIONS,
  SHARD_OBJECT_ACTIONS,
  SHARD_WORK_KEYS,
  TABLE_READ_ACTIONS,
  WORK_BUCKET_ACTIONS,
  WORK_OBJECT_ACTIONS,
} from '../../lib/vault-permissions.js';
import { forbiddenGrants, functionStatements, stateMachineStatements } from './policy-scan.js';
import { logicalId, synthStack, synthVault } from './synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const actionsOf = (s: Statement) => [s.Action].flat();
const withService = (statements: Statement[], service: string) =>
  statements.filter((s) => actionsOf(s).some((a) => a.startsWith(`${service}:`)));
const machineStatements = () => stateMachineStatements(template).get(logicalId(vault.freezeMachine))!;
const sorted = (a: readonly string[]) => [...a].sort();

describe('the freeze state machine role', () => {
  it('may invoke the two freeze functions (and their versions) and no other function', () => {
    const invokes = withService(machineStatements(), 'lambda');
    expect(invokes.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    const targets = JSON.stringify(invokes[0]!.Resource);
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    const named = functions.filter((id) => targets.includes(`"${id}"`));
    expect(named.sort()).toEqual(
      [logicalId(vault.freezeCoordinatorFunction), logicalId(vault.freezeShardFunction)].sort(),
    );
  });

  it("may only read objects of the work bucket, for the maps' item lists", () => {
    const s3 = withService(machineStatements(), 's3');
    expect(s3.flatMap(actionsOf)).toEqual(['s3:GetObject']);
    const resource = JSON.stringify(s3[0]!.Resource);
    expect(resource).toContain(logicalId(vault.workBucket));
    expect(resource).not.toContain(logicalId(vault.bucket));
  });

  it('may start, describe, stop and redrive only its own executions, as the Distributed Map needs', () => {
    const states = withService(machineStatements(), 'states');
    const machineId = logicalId(vault.freezeMachine);
    expect(sorted(states.flatMap(actionsOf))).toEqual(
      sorted([
        'states:StartExecution',
        'states:DescribeExecution',
        'states:StopExecution',
        'states:RedriveExecution',
      ]),
    );
    for (const statement of states)
      expect(JSON.stringify(statement.Resource)).toContain(`"Ref":"${machineId}"`);
    const start = states.find((s) => actionsOf(s).includes('states:StartExecution'))!;
    expect(start.Resource).toEqual({ Ref: machineId });
  });

  it('holds no DynamoDB action and nothing that deletes data or changes a lock', () => {
    expect(withService(machineStatements(), 'dynamodb')).toEqual([]);
    expect(forbiddenGrants(template).filter((f) => f.functionId === logicalId(vault.freezeMachine))).toEqual(
      [],
    );
  });

  it('is reported by the forbidden-action scan once widened with a delete', () => {
    const widened = synthStack({
      amend: (stack) => stack.vault.workBucket.grantDelete(stack.vault.freezeMachine),
    });
    const findings = forbiddenGrants(widened.template);
    expect(findings.map((f) => f.forbidden)).toContain('s3:DeleteObject');
  });
});

describe('the API function and the freeze machine', () => {
  it('may start this state machine, and no other Step Functions action or machine', () => {
    const api = functionStatements(template).get(logicalId(vault.apiFunction))!;
    expect(withService(api, 'states')).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: logicalId(vault.freezeMachine) } },
    ]);
  });

  it('gives no other function a Step Functions action', () => {
    const others = [...functionStatements(template)].filter(([id]) => id !== logicalId(vault.apiFunction));
    for (const [id, statements] of others) expect(withService(statements, 'states'), id).toEqual([]);
  });
});

describe('the freeze functions', () => {
  const statementsOf = (fn: 'freezeCoordinatorFunction' | 'freezeShardFunction') =>
    functionStatements(template).get(logicalId(vault[fn]))!;

  const onWork = (fn: 'freezeCoordinatorFunction' | 'freezeShardFunction') =>
    withService(statementsOf(fn), 's3').filter((s) =>
      JSON.stringify(s.Resource).includes(logicalId(vault.workBucket)),
    );

  it('let the coordinator read and write work objects without any delete, and list the work bucket', () => {
    expect(new Set(onWork('freezeCoordinatorFunction').map((s) => sorted(actionsOf(s)).join(',')))).toEqual(
      new Set([sorted(WORK_OBJECT_ACTIONS).join(','), sorted(WORK_BUCKET_ACTIONS).join(',')]),
    );
  });

  it('let a shard step read any work object but put only under the shard steps’ own names, and not list them', () => {
    const statements = onWork('freezeShardFunction');
    expect(new Set(statements.map((s) => sorted(actionsOf(s)).join(',')))).toEqual(
      new Set(['s3:GetObject', 's3:PutObject']),
    );
    const puts = statements.filter((s) => actionsOf(s).includes('s3:PutObject'));
    const suffixes = puts.flatMap((s) =>
      [s.Resource].flat().map((r) => JSON.stringify(r).match(/"(\/[^"]*)"\]\]\}$/)?.[1]),
    );
    expect(suffixes.sort()).toEqual(SHARD_WORK_KEYS.map((key) => `/${key}`).sort());
  });

  it('let a shard step only read the vault: dataset objects and the bucket’s lock settings, not the table', () => {
    const vaultGrants = statementsOf('freezeShardFunction').filter(
      (s) =>
        !JSON.stringify(s.Resource).includes(logicalId(vault.workBucket)) &&
        /"(s3|dynamodb):/.test(JSON.stringify(s.Action)),
    );
    expect(new Set(vaultGrants.map((s) => sorted(actionsOf(s)).join(',')))).toEqual(
      new Set([SHARD_OBJECT_ACTIONS, SHARD_BUCKET_ACTIONS].map((a) => sorted(a).join(','))),
    );
  });

  it.each([
    ['without', false],
    ['with', true],
  ])(
    'give the shard role, %s a customer key, no right it lacked before but a data key for work-bucket puts only: no ListBucket on either bucket and no table read',
    (_label, withKey) => {
      const synth = withKey
        ? synthVault((stack) => ({ encryptionKey: new kms.Key(stack, 'Key') }))
        : { template, vault };
      const statements = functionStatements(synth.template).get(logicalId(synth.vault.freezeShardFunction))!;
      const actions = new Set(statements.flatMap(actionsOf));
      // What the role held when the shard steps first ran on the machine (SHARD_OBJECT_ACTIONS,
      // BUCKET_ACTIONS, TABLE_READ_ACTIONS, work GetObject/PutObject/ListBucket, logs, X-Ray, KMS).
      const before = new Set<string>([
        ...SHARD_OBJECT_ACTIONS,
        ...BUCKET_ACTIONS,
        ...TABLE_READ_ACTIONS,
        's3:PutObject',
        ...WORK_BUCKET_ACTIONS,
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        'kms:Decrypt',
      ]);
      // Added since: the data key its puts into the work bucket need under a customer key.
      const added = withKey ? [...SHARD_KMS_WRITE_ACTIONS] : [];
      expect([...actions].filter((a) => !before.has(a))).toEqual(added);
      expect([...actions].filter((a) => a === 's3:ListBucket' || a.startsWith('dynamodb:'))).toEqual([]);
      if (withKey) {
        const dataKey = statements.find((s) => actionsOf(s).includes('kms:GenerateDataKey')) as Statement & {
          Condition: unknown;
        };
        expect(dataKey.Condition).toEqual({
          StringEquals: {
            'kms:EncryptionContext:aws:s3:arn': { 'Fn::GetAtt': [logicalId(synth.vault.workBucket), 'Arn'] },
          },
        });
      }
    },
  );

  it('give neither function a delete, retention-change or governance-bypass action', () => {
    const ids = [logicalId(vault.freezeCoordinatorFunction), logicalId(vault.freezeShardFunction)];
    expect(forbiddenGrants(template).filter((f) => ids.includes(f.functionId))).toEqual([]);
  });
});
