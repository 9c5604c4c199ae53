import { collectPages } from '../collect-pages.js';
import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';

/** The audit log, newest first, filtered on the server. */
export async function auditCommand(
  ctx: CommandContext,
  flags: { actor?: string; action?: string; target?: string; limit?: number },
): Promise<CommandResult> {
  const { limit, ...filter } = flags;
  const page = await collectPages((query) => ctx.client.listAudit({ ...filter, ...query }), limit);
  const text = renderTable(
    ['at', 'actor', 'action', 'target', 'reason'],
    page.items.map((e) => [e.at, e.actor, e.action, e.target, e.reason ?? '']),
  );
  return { data: page, text };
}
