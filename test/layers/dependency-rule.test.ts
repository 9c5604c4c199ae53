/**
 * Proves the layer rules fire: a file that breaks them is dropped into functions/core,
 * dependency-cruiser must fail naming the rule, and the file is always removed again.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

async function cruiseWith(source: string): Promise<{ code: number; output: string }> {
  const file = join(root, 'functions', 'core', `zz-layer-probe-${randomUUID().slice(0, 8)}.ts`);
  await writeFile(file, source);
  try {
    const result = await run(
      'npx',
      ['depcruise', 'functions', 'schemas', '--config', '.dependency-cruiser.cjs'],
      {
        cwd: root,
        timeout: 120_000,
      },
    );
    return { code: 0, output: result.stdout + result.stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  } finally {
    await rm(file, { force: true });
  }
}

describe('the dependency rule', () => {
  it.each([
    [
      'the AWS SDK',
      "import { S3Client } from '@aws-sdk/client-s3';\nexport const probe = S3Client;\n",
      'core-is-pure',
    ],
    [
      'the file system',
      "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n",
      'core-no-node-io',
    ],
  ])('fails the build when functions/core imports %s', async (_label, source, rule) => {
    const result = await cruiseWith(source);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(rule);
    expect(result.output).toContain('zz-layer-probe-');
  });
});
