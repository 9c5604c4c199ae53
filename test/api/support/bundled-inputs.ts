import { build } from 'esbuild';

/**
 * The source files esbuild pulls into a Lambda bundle of `entry` (the AWS SDK left out, as the
 * Lambda runtime provides it), so a test can check what a function ships without deploying it.
 */
export async function bundledInputs(entry: string): Promise<string[]> {
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
  return Object.keys(result.metafile.inputs);
}
