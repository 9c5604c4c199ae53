import type { CommandContext, CommandResult } from '../context.js';
import { renderFields, renderTable } from '../table.js';
import { environmentSummary } from './environment-summary.js';
import { renderLeakage } from './render-leakage.js';
import { renderClassShares, renderSplits, renderSticky } from './render-manifest.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';

/** A manifest: its dataset, spec, splits and every time someone froze it. */
export async function showCommand(ctx: CommandContext, targetText: string): Promise<CommandResult> {
  const id = await resolveManifestId(ctx, parseTarget(targetText));
  const [view, leakage] = await Promise.all([ctx.client.getSplit(id), ctx.client.getLeakageReport(id)]);
  const { manifest, freezeEvents } = view;
  const name = await datasetName(ctx, manifest.dataset.sha256);
  const versions = [...new Set(freezeEvents.flatMap((e) => e.provenance?.version ?? []))];
  const spec = manifest.spec;
  const column =
    spec.strategy === 'stratified-group'
      ? `${spec.stratifyBy} within groups of ${spec.groupBy}`
      : (spec.stratifyBy ?? spec.groupBy ?? spec.key ?? spec.orderBy);
  const text = [
    renderFields([
      ['manifest', manifest.id],
      [
        'dataset',
        `${name ? `${name} ` : ''}${manifest.dataset.sha256} (${manifest.dataset.format}, ${manifest.dataset.rows} rows)`,
      ],
      ['version', versions.length > 0 ? versions.join(', ') : '(none)'],
      ['strategy', `${spec.strategy}${column ? ` by ${column}` : ''}, seed ${spec.seed}`],
      ['ratios', `${spec.ratios.train}/${spec.ratios.validation}/${spec.ratios.test}`],
      ['created', `${manifest.createdAt} by ${manifest.createdBy}`],
      ['leakage', renderLeakage(leakage)],
    ]),
    '',
    renderSplits(manifest),
    '',
    ...(manifest.classShares ? ['class shares:', renderClassShares(manifest), ''] : []),
    ...(manifest.sticky ? [renderSticky(manifest), ''] : []),
    'freeze events:',
    renderTable(
      ['at', 'actor', 'version', 'source', 'note', 'environment'],
      freezeEvents.map((e) => [
        e.at,
        e.actor,
        e.provenance?.version ?? '',
        e.provenance?.source ?? '',
        e.provenance?.note ?? '',
        environmentSummary(e.environment),
      ]),
    ),
  ].join('\n');
  return { data: { ...view, datasetName: name ?? null, versions, leakage: leakage ?? null }, text };
}

/** The dataset's registered name; a name is a nicety, so a failed lookup shows none. */
export async function datasetName(ctx: CommandContext, sha256: string): Promise<string | undefined> {
  try {
    return (await ctx.client.getDataset(sha256)).name;
  } catch {
    return undefined;
  }
}
