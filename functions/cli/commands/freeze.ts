import { basename } from 'node:path';
import type { StoredManifest } from '../../../schemas/records.js';
import { CliError } from '../cli-error.js';
import type { CommandContext, CommandResult } from '../context.js';
import { uploadDatasetFile } from '../dataset-upload.js';
import { envFingerprint } from '../env-fingerprint.js';
import { hashFile } from '../hash-file.js';
import { checkInputFile } from '../input-file.js';
import { buildProvenance, buildSpec, type FreezeFlags } from '../spec-options.js';
import { renderSplits } from './render-manifest.js';
import { waitWithProgress } from './wait.js';

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  jsonl: 'application/jsonl',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.file',
};

/** Hash locally, upload only what the store lacks, freeze, and wait for the manifest. */
export async function freezeCommand(
  ctx: CommandContext,
  file: string,
  flags: FreezeFlags,
): Promise<CommandResult> {
  const spec = buildSpec(flags);
  const provenance = buildProvenance(flags);
  await checkInputFile(file);
  const { sha256, bytes } = await hashFile(file, ctx.progress);
  const extension = basename(file).split('.').pop()?.toLowerCase() ?? '';
  const mediaType = MEDIA_TYPES[extension];
  const uploaded = await uploadDatasetFile(ctx, {
    path: file,
    sha256,
    bytes,
    name: basename(file).slice(0, 256),
    ...(mediaType ? { mediaType } : {}),
  });
  const environment = { ...(await envFingerprint(ctx.cwd, ctx.version)) };
  // A second's wait answers small freezes at once; a longer one polls, so its stages show.
  const outcome = await ctx.client.freeze(
    { dataset: sha256, spec, ...(provenance ? { provenance } : {}), environment },
    1,
  );
  let manifest: StoredManifest;
  if (outcome.state === 'done') {
    manifest = outcome.manifest;
  } else {
    const job = await waitWithProgress(ctx, outcome.job.id, 'freezing');
    if (!job.manifestId)
      throw new CliError('CLI.NO_MANIFEST', `freeze job ${job.id} succeeded without a manifest id`);
    manifest = (await ctx.client.getSplit(job.manifestId)).manifest;
  }
  const text = [
    `dataset   ${sha256} (${bytes} bytes, ${uploaded ? 'uploaded' : 'already stored'})`,
    `manifest  ${manifest.id}`,
    '',
    renderSplits(manifest),
  ].join('\n');
  return { data: { manifestId: manifest.id, dataset: { sha256, bytes, uploaded }, manifest }, text };
}
