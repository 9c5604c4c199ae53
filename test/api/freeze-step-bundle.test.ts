import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function bundle(entry: string) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@aws-sdk/*'],
  });
  return { inputs: Object.keys(result.metafile.inputs) };
}

describe("what the freeze state machine's functions bundle", () => {
  it.each(['freeze-coordinator-lambda.ts', 'freeze-shard-lambda.ts'])(
    'bundles %s with the sharded engine and the work area, and without the API app',
    async (entry) => {
      const { inputs } = await bundle(`functions/handlers/${entry}`);
      expect(inputs).toContain('functions/core/shard/freeze-steps.ts');
      expect(inputs).toContain('functions/adapters/aws/s3-work-area.ts');
      expect(inputs.filter((path) => /functions\/api\/(app|routes)/.test(path))).toEqual([]);
    },
  );
});
