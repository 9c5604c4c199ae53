import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';

/** Where a manifest came from (its dataset and parent manifests) and what was derived from it. */
export async function lineageCommand(ctx: CommandContext, targetText: string): Promise<CommandResult> {
  const id = await resolveManifestId(ctx, parseTarget(targetText));
  const view = await ctx.client.lineage(id);
  const rows = [
    ...view.ancestors.map((n) => ['ancestor', n.depth, n.id] as const),
    ...view.descendants.map((n) => ['descendant', n.depth, n.id] as const),
  ];
  const text = [
    `manifest  ${view.manifestId}`,
    `dataset   ${view.dataset}`,
    '',
    rows.length === 0 ? 'no parent or child manifests' : renderTable(['relation', 'depth', 'manifest'], rows),
  ].join('\n');
  return { data: view, text };
}
