import type { Template } from 'aws-cdk-lib/assertions';
import { onlyResource } from './synth.js';

/** The account, region and partition the fake ARNs are in. */
export const FAKE_ENV = { partition: 'aws', region: 'us-east-1', account: '123456789012' } as const;

/**
 * A stand-in for every CloudFormation token a definition can hold: names and ARNs that look
 * real, or the bucket names given (by logical id) for buckets that exist on the emulators.
 */
export function fakeValue(
  token: unknown,
  template: Template,
  buckets: Readonly<Record<string, string>> = {},
): string {
  const { partition, region, account } = FAKE_ENV;
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const ref = (token as { Ref?: string }).Ref;
  if (ref === 'AWS::Partition') return partition;
  if (ref === 'AWS::Region') return region;
  if (ref === 'AWS::AccountId') return account;
  if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (ref !== undefined && resources[ref]?.Type === 'AWS::S3::Bucket')
    return buckets[ref] ?? fakeBucketName(ref);
  const getAtt = (token as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt && getAtt[1] === 'Arn' && resources[getAtt[0]]?.Type === 'AWS::Lambda::Function') {
    return `arn:${partition}:lambda:${region}:${account}:function:${getAtt[0]}`;
  }
  throw new Error(`no fake value for ${JSON.stringify(token)}`);
}

/** S3 bucket names are lowercase; the logical id keeps them apart. */
export const fakeBucketName = (logicalId: string) => `fake-${logicalId.toLowerCase()}`;

/**
 * The freeze state machine's DefinitionString as deployed: its Fn::Join resolved with fake
 * values for the resources it names, parsed into the ASL object Step Functions would run.
 */
export function freezeDefinition(
  template: Template,
  buckets: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const machine = onlyResource(template, 'AWS::StepFunctions::StateMachine');
  const definition = machine.props.DefinitionString as { 'Fn::Join': [string, unknown[]] } | string;
  if (typeof definition === 'string') return JSON.parse(definition);
  const [separator, parts] = definition['Fn::Join'];
  const text = parts
    .map((part) => (typeof part === 'string' ? part : fakeValue(part, template, buckets)))
    .join(separator);
  return JSON.parse(text);
}

/** A state of the definition by name, searched in the item processors too. */
export function stateNamed(definition: Record<string, unknown>, name: string): Record<string, unknown> {
  const states = definition.States as Record<string, Record<string, unknown>>;
  if (states[name]) return states[name];
  for (const state of Object.values(states)) {
    const processor = state.ItemProcessor as Record<string, unknown> | undefined;
    if (processor) {
      const inner = (processor.States as Record<string, Record<string, unknown>>)[name];
      if (inner) return inner;
    }
  }
  throw new Error(`no state ${name}`);
}
