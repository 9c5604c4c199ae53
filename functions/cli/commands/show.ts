import type { CommandContext, CommandResult } from '../context.js';
import { renderFields, renderTable } from '../table.js';
import { renderSplits } from './render-manifest.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';

/** A manifest: its dataset, spec, splits and every time someone froze it. */
export async function showCommand(ctx: CommandContext, targetText: string): Promise<CommandResult> {
  const id = await resolveManifestId(ctx, parseTarget(targetText));
  const view = await ctx.client.getSplit(id);
  const { manifest, freezeEvents } = view;
  const spec = manifest.spec;
  const column = spec.stratifyBy ?? spec.groupBy ?? spec.key ?? spec.orderBy;
  const text = [
    renderFields([
      ['manifest', manifest.id],
      ['dataset', `${manifest.dataset.sha256} (${manifest.dataset.format}, ${manifest.dataset.rows} rows)`],
      ['strategy', `${spec.strategy}${column ? ` by ${column}` : ''}, seed ${spec.seed}`],
      ['ratios', `${spec.ratios.train}/${spec.ratios.validation}/${spec.ratios.test}`],
      ['created', `${manifest.createdAt} by ${manifest.createdBy}`],
    ]),
    '',
    renderSplits(manifest),
    '',
    'freeze events:',
    renderTable(
      ['at', 'actor', 'source', 'note'],
      freezeEvents.map((e) => [e.at, e.actor, e.provenance?.source ?? '', e.provenance?.note ?? '']),
    ),
  ].join('\n');
  return { data: view, text };
}
