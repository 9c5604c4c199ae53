import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SplitVault, type SplitVaultProps } from './splitvault.js';

export interface SplitVaultStackProps extends StackProps {
  /** Passed through to the SplitVault construct. */
  readonly vault?: SplitVaultProps;
}

/**
 * One splitvault deployment per stack. The stack is environment-agnostic, so `cdk synth`
 * needs neither credentials nor a region; `cdk deploy` takes both from the caller's profile.
 */
export class SplitVaultStack extends Stack {
  readonly vault: SplitVault;

  constructor(scope: Construct, id: string, props: SplitVaultStackProps = {}) {
    super(scope, id, props);
    this.vault = new SplitVault(this, 'SplitVault', props.vault);
    new CfnOutput(this, 'ApiUrl', {
      value: this.vault.apiUrl,
      description: 'Base URL of the splitvault API',
    });
    new CfnOutput(this, 'BucketName', {
      value: this.vault.bucket.bucketName,
      description: 'Object Lock bucket holding datasets, splits and manifests',
    });
    new CfnOutput(this, 'TableName', {
      value: this.vault.table.tableName,
      description: 'DynamoDB table holding lineage, aliases, jobs and the audit log',
    });
  }
}
