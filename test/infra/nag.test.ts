import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { SplitVault } from '../../lib/splitvault.js';
import { SplitVaultStack } from '../../lib/splitvault-stack.js';
import { testApp } from './synth.js';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes with the AwsSolutions pack; synthesis throws the report when a finding is unacknowledged. */
function synthWithNag(build: (app: App) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'splitvault-nag-'));
  outdirs.push(outdir);
  const app = testApp({ outdir });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return outdir;
}

describe('cdk-nag AwsSolutions checks', () => {
  it('report no unacknowledged finding on the default stack', () => {
    let stack: SplitVaultStack | undefined;
    const outdir = synthWithNag((app) => {
      stack = new SplitVaultStack(app, 'Nag');
    });
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(JSON.stringify(report)).not.toMatch(/"status":\s*"failure"/);
    expect(stack).toBeDefined();
  });

  it('report no unacknowledged finding when the bucket uses a customer-managed key', () => {
    expect(() =>
      synthWithNag((app) => {
        const stack = new SplitVaultStack(app, 'Keyed');
        new SplitVault(stack, 'Keyed', {
          encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        });
      }),
    ).not.toThrow();
  });

  it('report no unacknowledged finding with tracing off', () => {
    expect(() =>
      synthWithNag((app) => {
        new SplitVaultStack(app, 'Untraced', { vault: { tracing: false } });
      }),
    ).not.toThrow();
  });

  it('report no unacknowledged finding with the console on', () => {
    expect(() =>
      synthWithNag((app) => {
        new SplitVaultStack(app, 'WithConsole', { vault: { console: true } });
      }),
    ).not.toThrow();
  });

  it('give every acknowledgement a written reason', () => {
    const stack = new SplitVaultStack(testApp(), 'Reasons');
    // Each entry maps a rule id (with its prefix) to the reason given for it.
    const acks = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([id]) => id.includes('AwsSolutions-'));
    expect(new Set(acks.map(([id]) => id.replace(/^[^:]+::/, '').replace(/\[.*$/, '')))).toEqual(
      new Set(['AwsSolutions-APIG4', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SQS3']),
    );
    for (const [id, reason] of acks) expect(reason.split(' ').length, id).toBeGreaterThanOrEqual(10);
  });

  it('fail synthesis for a finding nobody acknowledged', () => {
    expect(() =>
      synthWithNag((app) => {
        const stack = new SplitVaultStack(app, 'Unacknowledged');
        new kms.Key(stack, 'UnrotatedKey');
      }),
    ).toThrow(/AwsSolutions-KMS5/);
  });
});
