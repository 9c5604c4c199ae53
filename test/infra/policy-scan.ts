import type { Template } from 'aws-cdk-lib/assertions';

/**
 * Actions no function may hold: anything that deletes stored data, changes or lifts an object
 * lock, or rewrites the bucket's protections. A wildcard counts if it could match one of them.
 */
export const FORBIDDEN_ACTIONS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
  's3:PutBucketVersioning',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
];

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource: unknown;
}

export interface Finding {
  readonly functionId: string;
  readonly action: string;
  readonly forbidden: string;
}

function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, 'i');
  return regex.test(action);
}
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

/** Every Allow statement reaching a function's role: inline policies and attached AWS::IAM::Policy. */
export function functionStatements(template: Template): Map<string, Statement[]> {
  const roles = template.findResources('AWS::IAM::Role');
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const result = new Map<string, Statement[]>();
  for (const [functionId, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
    const role = roles[roleId];
    if (!role) throw new Error(`function ${functionId} uses role ${roleId}, which is not in the template`);
    if (list(role.Properties.ManagedPolicyArns).length > 0) {
      throw new Error(`function ${functionId} has managed policies the scan can't read`);
    }
    const inline = list<{ PolicyDocument: { Statement: Statement[] } }>(role.Properties.Policies);
    const attached = policies.filter((p) =>
      list<{ Ref: string }>(p.Properties.Roles).some((r) => r.Ref === roleId),
    );
    result.set(functionId, [
      ...inline.flatMap((p) => p.PolicyDocument.Statement),
      ...attached.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]),
    ]);
  }
  return result;
}

/** Allowed actions on function roles that match a forbidden action. Empty means compliant. */
export function forbiddenGrants(template: Template): Finding[] {
  const findings: Finding[] = [];
  for (const [functionId, statements] of functionStatements(template)) {
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      // "Allow everything except ..." can't be checked action by action; it is never least privilege.
      if (statement.NotAction !== undefined)
        findings.push({ functionId, action: 'NotAction', forbidden: '*' });
      for (const action of list(statement.Action)) {
        for (const forbidden of FORBIDDEN_ACTIONS.filter((f) => matches(action, f))) {
          findings.push({ functionId, action, forbidden });
        }
      }
    }
  }
  return findings;
}
