/**
 * The freeze endings rule as synthesized, for the template test and for the test that runs it
 * on moto's EventBridge: one finder, so both read the same rule.
 */
import type { Template } from 'aws-cdk-lib/assertions';

export interface EndingsTarget {
  readonly Arn: unknown;
  readonly DeadLetterConfig: { readonly Arn: unknown };
  readonly RetryPolicy?: { readonly MaximumRetryAttempts: number; readonly MaximumEventAgeInSeconds: number };
  readonly InputTransformer: {
    readonly InputPathsMap: Readonly<Record<string, string>>;
    readonly InputTemplate: string;
  };
}

export interface EndingsRule {
  readonly EventPattern: Readonly<Record<string, unknown>>;
  readonly Targets: readonly EndingsTarget[];
}

/** The one rule of the template that listens to Step Functions, failing loudly otherwise. */
export function endingsRule(template: Template): EndingsRule {
  const rules = Object.values(template.findResources('AWS::Events::Rule'))
    .map((r) => r.Properties as Record<string, unknown>)
    .filter((p) => JSON.stringify(p.EventPattern).includes('"aws.states"'));
  if (rules.length !== 1) throw new Error(`expected one aws.states rule, found ${rules.length}`);
  return rules[0] as unknown as EndingsRule;
}
