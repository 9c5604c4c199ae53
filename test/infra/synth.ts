import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { SplitVault, type SplitVaultProps } from '../../lib/splitvault.js';
import { SplitVaultStack, type SplitVaultStackProps } from '../../lib/splitvault-stack.js';

export interface SynthOptions {
  /** Run esbuild for real; without it the template is the same but assets are placeholders. */
  readonly bundle?: boolean;
  readonly outdir?: string;
  readonly props?: SplitVaultStackProps;
  /** Changes the stack before the template is taken. */
  readonly amend?: (stack: SplitVaultStack) => void;
}

/** The feature flags `cdk synth` reads from cdk.json, so tests build the same template. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: object }
).context;

/**
 * Builds the stack the way `cdk synth` does. Bundling is skipped unless asked for, because it
 * is the slow part and the template doesn't depend on the bundle's bytes.
 */
export function synthStack(options: SynthOptions = {}): { stack: SplitVaultStack; template: Template } {
  const app = testApp(options);
  const stack = new SplitVaultStack(app, 'Test', options.props);
  options.amend?.(stack);
  return { stack, template: Template.fromStack(stack) };
}

/** A SplitVault in a plain stack, for props that need other resources of that stack (a KMS key). */
export function synthVault(props: (stack: Stack) => SplitVaultProps): {
  vault: SplitVault;
  template: Template;
} {
  const stack = new Stack(testApp(), 'Custom');
  const vault = new SplitVault(stack, 'Vault', props(stack));
  return { vault, template: Template.fromStack(stack) };
}

/** An App with cdk.json's feature flags, as `cdk synth` would build it. */
export function testApp(options: SynthOptions = {}): App {
  return new App({
    outdir: options.outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      'aws:cdk:enable-asset-metadata': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
}

/** The one resource of a type, failing loudly when there are none or several. */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; props: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, props: (resource as { Properties: Record<string, unknown> }).Properties };
}

/** The template's logical id of an L2 construct, which is that of its L1 default child. */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}
