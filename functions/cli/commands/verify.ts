import { VerifyResult } from '../../../schemas/api.js';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';
import { waitWithProgress } from './wait.js';

/** Re-runs the split on the server and compares hashes; exit 1 when it does not reproduce. */
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
  ].join('\n');
  return { data: { manifestId: id, jobId: job.id, ...result }, text, exitCode: result.reproducible ? 0 : 1 };
}
