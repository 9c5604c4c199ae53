import { basename, resolve } from 'node:path';
import type { StoredManifest } from '../../../schemas/records.js';
import { CliError } from '../cli-error.js';
import type { CommandContext, CommandResult } from '../context.js';
import { datasetPaths } from '../dataset-paths.js';
import { uploadDatasetFile } from '../dataset-upload.js';
import { envFingerprint } from '../env-fingerprint.js';
import { hashFile } from '../hash-file.js';
import { buildProvenance, buildSpec, buildSticky, type FreezeFlags } from '../spec-options.js';
import { renderSplits, renderSticky } from './render-manifest.js';
import { hashFiles, registerAndUpload } from './upload-files.js';
import { waitWithProgress } from './wait.js';

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  jsonl: 'application/jsonl',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.file',
};

/**
 * Hash locally, upload only what the store lacks, freeze, and wait for the manifest. Several
 * paths, a directory or a glob make a many-file dataset (datasetPaths says in which order);
 * one file is a one-file dataset, exactly as before.
 */
export async function freezeCommand(
  ctx: CommandContext,
  args: readonly string[],
  flags: FreezeFlags,
): Promise<CommandResult> {
  const spec = buildSpec(flags);
  const provenance = buildProvenance(flags);
  const sticky = buildSticky(flags);
  const paths = await datasetPaths(ctx.cwd, args);
  if (paths.length > 1) {
    const files = await hashFiles(ctx, paths);
    const dataset = await registerAndUpload(ctx, files, mediaTypeOf(paths[0]!));
    const manifest = await freezeDataset(ctx, dataset.sha256, spec, provenance, sticky);
    const text = [
      `dataset   ${dataset.sha256} (${files.length} files, ${dataset.bytes} bytes, ${dataset.uploaded} uploaded)`,
      `manifest  ${manifest.id}`,
      '',
      renderSplits(manifest),
      ...(manifest.sticky ? ['', renderSticky(manifest)] : []),
    ].join('\n');
    return {
      data: {
        manifestId: manifest.id,
        dataset: { ...dataset, files: files.map(({ path, sha256, bytes }) => ({ path, sha256, bytes })) },
        manifest,
      },
      text,
    };
  }
  const file = resolve(ctx.cwd, paths[0]!);
  const { sha256, bytes } = await hashFile(file, ctx.progress);
  const mediaType = mediaTypeOf(file);
  const uploaded = await uploadDatasetFile(ctx, {
    path: file,
    sha256,
    bytes,
    name: basename(file).slice(0, 256),
    ...(mediaType ? { mediaType } : {}),
  });
  const manifest = await freezeDataset(ctx, sha256, spec, provenance, sticky);
  const text = [
    `dataset   ${sha256} (${bytes} bytes, ${uploaded ? 'uploaded' : 'already stored'})`,
    `manifest  ${manifest.id}`,
    '',
    renderSplits(manifest),
    ...(manifest.sticky ? ['', renderSticky(manifest)] : []),
  ].join('\n');
  return { data: { manifestId: manifest.id, dataset: { sha256, bytes, uploaded }, manifest }, text };
}

function mediaTypeOf(path: string): string | undefined {
  return MEDIA_TYPES[basename(path).split('.').pop()?.toLowerCase() ?? ''];
}

/** Freezes a stored dataset and waits for its manifest. */
async function freezeDataset(
  ctx: CommandContext,
  dataset: string,
  spec: ReturnType<typeof buildSpec>,
  provenance: ReturnType<typeof buildProvenance>,
  sticky: ReturnType<typeof buildSticky>,
): Promise<StoredManifest> {
  const environment = { ...(await envFingerprint(ctx.cwd, ctx.version)) };
  // A second's wait answers small freezes at once; a longer one polls, so its stages show.
  const outcome = await ctx.client.freeze(
    { dataset, spec, ...(provenance ? { provenance } : {}), environment, ...sticky },
    1,
  );
  if (outcome.state === 'done') return outcome.manifest;
  const job = await waitWithProgress(ctx, outcome.job.id, 'freezing');
  if (!job.manifestId)
    throw new CliError('CLI.NO_MANIFEST', `freeze job ${job.id} succeeded without a manifest id`);
  return (await ctx.client.getSplit(job.manifestId)).manifest;
}
