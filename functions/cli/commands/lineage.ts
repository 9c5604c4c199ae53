import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';
import { datasetName } from './show.js';

/** Where a manifest came from (its dataset and parent manifests) and what was derived from it. */
export async function lineageCommand(ctx: CommandContext, targetText: string): Promise<CommandResult> {
  const id = await resolveManifestId(ctx, parseTarget(targetText));
  const view = await ctx.client.lineage(id);
  const nodes = [
    ...view.ancestors.map((n) => ({ relation: 'ancestor', ...n })),
    ...view.descendants.map((n) => ({ relation: 'descendant', ...n })),
  ];
  // One read per manifest for its labels: lineage is at most 10 levels and usually a handful.
  const [labels, name] = await Promise.all([
    Promise.all([id, ...nodes.map((n) => n.id)].map((m) => versionLabels(ctx, m))),
    datasetName(ctx, view.dataset),
  ]);
  const [own = '', ...others] = labels;
  const rows = nodes.map((n, i) => [n.relation, n.depth, n.id, others[i] ?? ''] as const);
  const text = [
    `manifest  ${view.manifestId}${own ? ` (${own})` : ''}`,
    `dataset   ${name ? `${name} ` : ''}${view.dataset}`,
    '',
    rows.length === 0
      ? 'no parent or child manifests'
      : renderTable(['relation', 'depth', 'manifest', 'version'], rows),
  ].join('\n');
  const versions = Object.fromEntries([id, ...nodes.map((n) => n.id)].map((m, i) => [m, labels[i] ?? '']));
  return { data: { ...view, datasetName: name ?? null, versions }, text };
}

/** The distinct version labels a manifest was frozen with, comma-separated. */
async function versionLabels(ctx: CommandContext, manifestId: string): Promise<string> {
  const { freezeEvents } = await ctx.client.getSplit(manifestId);
  return [...new Set(freezeEvents.flatMap((e) => e.provenance?.version ?? []))].join(', ');
}
