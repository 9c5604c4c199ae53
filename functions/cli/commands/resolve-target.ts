import { AliasName, Sha256 } from '../../../schemas/common.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../context.js';

/** A manifest id, or an alias that `get` and `show` resolve to one. */
export type Target =
  | { readonly kind: 'manifest'; readonly id: string }
  | { readonly kind: 'alias'; readonly name: string };

/** 64 hex characters are a manifest id; anything else must be a valid alias name. */
export function parseTarget(text: string): Target {
  if (Sha256.safeParse(text).success) return { kind: 'manifest', id: text };
  if (AliasName.safeParse(text).success) return { kind: 'alias', name: text };
  throw new UsageError(
    'CLI.BAD_TARGET',
    `"${text}" is neither a manifest id nor an alias name`,
    'a manifest id is 64 lower-case hex characters; an alias uses a-z, 0-9, ".", "_" and "-"',
  );
}

/** The manifest id a target points at now (one lookup for an alias). */
export async function resolveManifestId(ctx: CommandContext, target: Target): Promise<string> {
  return target.kind === 'manifest' ? target.id : (await ctx.client.getAlias(target.name)).manifestId;
}
