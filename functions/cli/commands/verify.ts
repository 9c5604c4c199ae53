import { VerifyResult } from '../../../schemas/api.js';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';
import { waitWithProgress } from './wait.js';

/**
 * Re-runs the split on the server and re-hashes what is stored; exit 1 when the split does not
 * reproduce or any stored blob fails its hash, and the text says which.
 */
export async function verifyCommand(ctx: CommandContext, targetText: string): Promise<CommandResult> {
  const id = await resolveManifestId(ctx, parseTarget(targetText));
  const started = await ctx.client.startVerify(id);
  const job = await waitWithProgress(ctx, started.id, 'verifying');
  const result = VerifyResult.parse(job.result);
  const text = [
    renderTable(
      ['split', 'expected', 'actual', 'stored'],
      SPLIT_NAMES.map((name) => [
        name,
        result.expected[name],
        result.actual[name] ?? '(none)',
        result.storage.splits[name]?.actual === result.expected[name] ? 'intact' : 'CHANGED',
      ]),
    ),
    ...(result.storage.damaged ?? []).map(
      (blob) => `DAMAGED ${blob.kind} ${blob.sha256} (stored bytes hash to ${blob.actual})`,
    ),
    '',
    result.reproducible
      ? `reproducible: ${id}`
      : `NOT reproducible: ${id}${result.detail ? ` (${result.detail})` : ''}`,
    result.storage.intact ? 'storage: intact' : `storage: DAMAGED (${storageFailures(result)})`,
    result.ok ? `ok: ${id}` : `FAILED: ${id}`,
  ].join('\n');
  return { data: { manifestId: id, jobId: job.id, ...result }, text, exitCode: result.ok ? 0 : 1 };
}

/** The storage failures in words, e.g. "train artifact missing, dataset damaged". */
function storageFailures(result: VerifyResult): string {
  return result.failures
    .filter((failure) => failure.reason !== 'not-reproducible')
    .map((failure) =>
      failure.reason === 'dataset-damaged'
        ? 'dataset damaged'
        : `${failure.split} artifact ${failure.reason === 'artifact-missing' ? 'missing' : 'damaged'}`,
    )
    .join(', ');
}
