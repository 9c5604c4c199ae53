import type { AliasMove, AliasRecord } from '../../../schemas/records.js';
import { collectPages } from '../collect-pages.js';
import type { CommandContext, CommandResult } from '../context.js';
import { renderFields, renderTable } from '../table.js';

function renderAlias(alias: AliasRecord): string {
  return renderFields([
    ['alias', alias.name],
    ['manifest', alias.manifestId],
    ['revision', alias.revision],
    ['updated', `${alias.updatedAt} by ${alias.updatedBy}`],
    ['quarantine', alias.quarantine ? 'on (moves refuse test leaks)' : 'off'],
  ]);
}

function renderMoves(moves: readonly AliasMove[]): string {
  return renderTable(
    ['rev', 'action', 'manifest', 'at', 'actor', 'reason'],
    moves.map((m) => [m.revision, m.action, m.manifestId, m.at, m.actor, m.reason]),
  );
}

/** Points an alias at a manifest; --expect-revision turns it into a compare-and-swap. */
export async function aliasSetCommand(
  ctx: CommandContext,
  name: string,
  manifestId: string,
  flags: { reason: string; expectRevision?: number; quarantine?: boolean; allowTestLeak?: boolean },
): Promise<CommandResult> {
  const alias = await ctx.client.setAlias(name, {
    manifestId,
    reason: flags.reason,
    ...(flags.expectRevision === undefined ? {} : { expectedRevision: flags.expectRevision }),
    ...(flags.quarantine ? { quarantine: true } : {}),
    ...(flags.allowTestLeak ? { allowTestLeak: true } : {}),
  });
  return { data: alias, text: renderAlias(alias) };
}

export async function aliasShowCommand(ctx: CommandContext, name: string): Promise<CommandResult> {
  const alias = await ctx.client.getAlias(name);
  return { data: alias, text: renderAlias(alias) };
}

/** Every move of an alias, newest first, or (with --at) the one in force at that time. */
export async function aliasHistoryCommand(
  ctx: CommandContext,
  name: string,
  flags: { at?: string; limit?: number },
): Promise<CommandResult> {
  const page =
    flags.at === undefined
      ? await collectPages((query) => ctx.client.aliasHistory(name, query), flags.limit)
      : await ctx.client.aliasHistory(name, { at: flags.at });
  return { data: page, text: page.items.length === 0 ? `no moves of ${name}` : renderMoves(page.items) };
}

export async function aliasListCommand(
  ctx: CommandContext,
  flags: { limit?: number },
): Promise<CommandResult> {
  const page = await collectPages((query) => ctx.client.listAliases(query), flags.limit);
  const text = renderTable(
    ['alias', 'rev', 'manifest', 'updated', 'by'],
    page.items.map((a) => [a.name, a.revision, a.manifestId, a.updatedAt, a.updatedBy]),
  );
  return { data: page, text };
}

/** Moves an alias back to its previous (or a named) revision, as a new revision. */
export async function rollbackCommand(
  ctx: CommandContext,
  name: string,
  flags: { reason: string; toRevision?: number; expectRevision?: number; allowTestLeak?: boolean },
): Promise<CommandResult> {
  const alias = await ctx.client.rollbackAlias(name, {
    reason: flags.reason,
    ...(flags.toRevision === undefined ? {} : { toRevision: flags.toRevision }),
    ...(flags.expectRevision === undefined ? {} : { expectedRevision: flags.expectRevision }),
    ...(flags.allowTestLeak ? { allowTestLeak: true } : {}),
  });
  return { data: alias, text: renderAlias(alias) };
}

/** Turns test quarantine on or off: a new, audited revision on the same manifest. */
export async function aliasQuarantineCommand(
  ctx: CommandContext,
  name: string,
  state: 'on' | 'off',
  flags: { reason: string; expectRevision?: number },
): Promise<CommandResult> {
  const alias = await ctx.client.setAliasPolicy(name, {
    quarantine: state === 'on',
    reason: flags.reason,
    ...(flags.expectRevision === undefined ? {} : { expectedRevision: flags.expectRevision }),
  });
  return { data: alias, text: renderAlias(alias) };
}
