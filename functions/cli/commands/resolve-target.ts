import { AliasName, Sha256 } from '../../../schemas/common.js';
import { ApiError } from '../../client/api-error.js';
import { CliError, UsageError } from '../cli-error.js';
import { collectPages } from '../collect-pages.js';
import type { CommandContext } from '../context.js';

/** What a command line can name a manifest by. */
export type Target =
  | { readonly kind: 'manifest'; readonly id: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'alias'; readonly name: string }
  | { readonly kind: 'label'; readonly dataset: string; readonly version: string };

const SHORT_ID = /^[0-9a-f]{8,63}$/;

/**
 * 64 hex characters are a manifest id, 8 to 63 a short one; `name@label` is a dataset name
 * and a version label; anything else must be a valid alias name.
 */
export function parseTarget(text: string): Target {
  if (Sha256.safeParse(text).success) return { kind: 'manifest', id: text };
  if (SHORT_ID.test(text)) return { kind: 'prefix', prefix: text };
  const at = text.lastIndexOf('@');
  if (at > 0 && at < text.length - 1) {
    return { kind: 'label', dataset: text.slice(0, at), version: text.slice(at + 1) };
  }
  if (AliasName.safeParse(text).success) return { kind: 'alias', name: text };
  throw new UsageError(
    'CLI.BAD_TARGET',
    `"${text}" is neither a manifest id, a dataset name@label nor an alias name`,
    'a manifest id is 64 lower-case hex characters (or its first 8+); name@label is a dataset name and a --version label; an alias uses a-z, 0-9, ".", "_" and "-"',
  );
}

/** The manifest id a target points at now. */
export async function resolveManifestId(ctx: CommandContext, target: Target): Promise<string> {
  switch (target.kind) {
    case 'manifest':
      return target.id;
    case 'alias':
      return (await ctx.client.getAlias(target.name)).manifestId;
    case 'prefix':
      return resolvePrefix(ctx, target.prefix);
    case 'label':
      return resolveLabel(ctx, target.dataset, target.version);
  }
}

/** The server resolves the prefix (409 with candidates when several ids share it). */
async function resolvePrefix(ctx: CommandContext, prefix: string): Promise<string> {
  try {
    return (await ctx.client.getSplit(prefix)).manifest.id;
  } catch (error) {
    // An alias named like this from before such names were refused still resolves.
    const missing = error instanceof ApiError && error.code === 'SPLIT.NOT_FOUND';
    if (!missing || !AliasName.safeParse(prefix).success) throw error;
    try {
      return (await ctx.client.getAlias(prefix)).manifestId;
    } catch {
      throw error;
    }
  }
}

/** The one manifest whose first freeze carried `version` on a dataset named `dataset`. */
async function resolveLabel(ctx: CommandContext, dataset: string, version: string): Promise<string> {
  const page = await collectPages((query) => ctx.client.listSplits({ version, ...query }));
  const ids = page.items.filter((split) => split.dataset.name === dataset).map((split) => split.id);
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0) {
    throw new CliError(
      'CLI.LABEL_NOT_FOUND',
      `no manifest of dataset "${dataset}" has version label "${version}"`,
      {
        detail: 'splitvault ls splits --version LABEL shows the manifests with a label',
      },
    );
  }
  throw new CliError(
    'CLI.LABEL_AMBIGUOUS',
    `${ids.length} manifests of "${dataset}" have version label "${version}"`,
    {
      detail: `name one by id: ${ids.join(', ')}`,
    },
  );
}
