import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';

/** The audit log, newest first, filtered on the server. */
export async function auditCommand(
  ctx: CommandContext,
  flags: { actor?: string; action?: string; target?: string; limit?: number },
): Promise<CommandResult> {
  const page = await ctx.client.listAudit(flags);
  const text = renderTable(
    ['at', 'actor', 'action', 'target', 'reason'],
    page.items.map((e) => [e.at, e.actor, e.action, e.target, e.reason ?? '']),
  );
  return { data: page, text };
}
