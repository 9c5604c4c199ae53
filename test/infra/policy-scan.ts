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

/** IAM's `*` wildcard; action names compare without case, StringLike values with it. */
function matches(pattern: string, value: string, caseSensitive = false): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`, caseSensitive ? '' : 'i');
  return regex.test(value);
}
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

/** Every Allow statement reaching a function's role: inline policies and attached AWS::IAM::Policy. */
export function functionStatements(template: Template): Map<string, Statement[]> {
  return principalStatements(template, 'AWS::Lambda::Function');
}

/** The same for each state machine's role: its default policy and the Distributed Map's own. */
export function stateMachineStatements(template: Template): Map<string, Statement[]> {
  return principalStatements(template, 'AWS::StepFunctions::StateMachine');
}

/** Statements of the role each resource of a type runs as, by the resource's logical id. */
function principalStatements(template: Template, type: string): Map<string, Statement[]> {
  const roles = template.findResources('AWS::IAM::Role');
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const result = new Map<string, Statement[]>();
  for (const [resourceId, resource] of Object.entries(template.findResources(type))) {
    const property = type === 'AWS::Lambda::Function' ? 'Role' : 'RoleArn';
    const roleId: string = resource.Properties[property]['Fn::GetAtt'][0];
    const role = roles[roleId];
    if (!role) throw new Error(`${resourceId} uses role ${roleId}, which is not in the template`);
    if (list(role.Properties.ManagedPolicyArns).length > 0) {
      throw new Error(`${resourceId} has managed policies the scan can't read`);
    }
    const inline = list<{ PolicyDocument: { Statement: Statement[] } }>(role.Properties.Policies);
    const attached = policies.filter((p) =>
      list<{ Ref: string }>(p.Properties.Roles).some((r) => r.Ref === roleId),
    );
    result.set(resourceId, [
      ...inline.flatMap((p) => p.PolicyDocument.Statement),
      ...attached.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]),
    ]);
  }
  return result;
}

/** Allowed actions on function and state machine roles that match a forbidden action. Empty means compliant. */
export function forbiddenGrants(template: Template): Finding[] {
  const findings: Finding[] = [];
  const principals = [...functionStatements(template), ...stateMachineStatements(template)];
  for (const [functionId, statements] of principals) {
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

/** A PutItem as IAM sees it: the partition key value and the item's top-level attribute names. */
export interface PutRequest {
  readonly pk: string;
  readonly attributes: readonly string[];
}

/**
 * Evaluates a function's Allow statements for one PutItem the way IAM would, for the condition
 * operators the construct uses (anything else throws, so a new operator can't pass unread).
 */
export function putAllowed(statements: readonly Statement[], request: PutRequest): boolean {
  const values: Record<string, readonly string[]> = {
    'dynamodb:LeadingKeys': [request.pk],
    'dynamodb:Attributes': request.attributes,
  };
  return statements.some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    if (!list(statement.Action).some((action) => matches(action, 'dynamodb:PutItem'))) return false;
    const conditions = (statement as { Condition?: Record<string, Record<string, string | string[]>> })
      .Condition;
    return Object.entries(conditions ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, expected]) => {
        const actual = values[key];
        if (actual === undefined) throw new Error(`condition key ${key} is not modelled`);
        const wanted = list(expected);
        if (operator === 'Null') return (actual.length === 0) === (wanted[0] === 'true');
        if (operator === 'ForAllValues:StringLike')
          return actual.every((value) => wanted.some((pattern) => matches(pattern, value, true)));
        if (operator === 'ForAllValues:StringEquals') return actual.every((value) => wanted.includes(value));
        throw new Error(`condition operator ${operator} is not modelled`);
      }),
    );
  });
}
