import { App } from 'aws-cdk-lib';
import type { ObjectLockMode } from 'aws-cdk-lib/aws-s3';
import { SplitVaultStack } from '../lib/splitvault-stack.js';

/**
 * The CDK app. Deployment settings come from context (`cdk deploy -c retentionMode=COMPLIANCE`)
 * so the same code serves every account; anything not given keeps the construct's default.
 */
const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) ?? undefined;
const number = (key: string): number | undefined => {
  const value = context(key);
  return value === undefined ? undefined : Number(value);
};
const mode = context('retentionMode');

new SplitVaultStack(app, context('stackName') ?? 'SplitVault', {
  description: 'splitvault: frozen, content-addressed, auditable dataset splits',
  vault: {
    retentionMode: mode === undefined ? undefined : (mode as ObjectLockMode),
    retentionDays: number('retentionDays'),
    workerMemorySize: number('workerMemorySize'),
    gitCommit: context('gitCommit') ?? process.env.SPLITVAULT_GIT_COMMIT,
  },
});
app.synth();
