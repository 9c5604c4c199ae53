import { UsageError } from '../cli-error.js';
import { collectPages } from '../collect-pages.js';
import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';

/** Every action the service writes to the audit log, by the short name a user types. */
export const AUDIT_ACTIONS: Readonly<Record<string, string>> = {
  set: 'alias.set',
  rollback: 'alias.rollback',
  policy: 'alias.policy',
  register: 'dataset.register',
  repair: 'blob.repair',
  freeze: 'split.freeze',
  verify: 'split.verify',
};

/** Help text: the forms `--action` and `--target` accept. */
export const AUDIT_HELP = `
Forms accepted:
  --action  ${Object.entries(AUDIT_ACTIONS)
    .map(([short, stored]) => `${short} (${stored})`)
    .join(', ')}
  --target  an alias name (prod = alias:prod), a manifest id, its first 8+ hex characters or
            name@label (= split:<id>), or a stored form: alias:NAME, split:ID, dataset:SHA256,
            artifact:SHA256

Examples:
  splitvault audit --target prod --action set
  splitvault audit --action freeze --target 3f2a9c1e
  splitvault audit --target dataset:<sha256>
`;

/** The stored action for what the user typed: a short name, or a stored (dotted) form as it is. */
export function auditAction(text: string): string {
  const stored = AUDIT_ACTIONS[text];
  if (stored) return stored;
  // A dotted name is a stored form, passed on even if this CLI predates it.
  if (text.includes('.')) return text;
  throw new UsageError(
    'CLI.BAD_ACTION',
    `unknown audit action "${text}"`,
    `use one of ${Object.keys(AUDIT_ACTIONS).join(', ')} (or ${Object.values(AUDIT_ACTIONS).join(', ')})`,
  );
}

/**
 * The stored target for what the user typed. A `kind:value` form is passed on; anything else
 * is read as `get` and `show` read it, but an alias stays `alias:NAME` (its own moves), not
 * the manifest it points at.
 */
export async function auditTarget(ctx: CommandContext, text: string): Promise<string> {
  if (/^(alias|split|dataset|artifact):/.test(text)) return text;
  const target = parseTarget(text);
  if (target.kind === 'alias') return `alias:${target.name}`;
  return `split:${await resolveManifestId(ctx, target)}`;
}

/** The audit log, newest first, filtered on the server. */
export async function auditCommand(
  ctx: CommandContext,
  flags: { actor?: string; action?: string; target?: string; limit?: number },
): Promise<CommandResult> {
  const { limit, action, target, ...rest } = flags;
  const filter = {
    ...rest,
    ...(action === undefined ? {} : { action: auditAction(action) }),
    ...(target === undefined ? {} : { target: await auditTarget(ctx, target) }),
  };
  const page = await collectPages((query) => ctx.client.listAudit({ ...filter, ...query }), limit);
  const text = renderTable(
    ['at', 'actor', 'action', 'target', 'reason'],
    page.items.map((e) => [e.at, e.actor, e.action, e.target, e.reason ?? '']),
  );
  return { data: page, text };
}
