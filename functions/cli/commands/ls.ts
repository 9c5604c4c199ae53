import type { SplitListFilter } from '../../client/create-client.js';
import { UsageError } from '../cli-error.js';
import { collectPages } from '../collect-pages.js';
import type { CommandContext, CommandResult } from '../context.js';
import { renderTable } from '../table.js';
import { aliasListCommand } from './alias.js';

/** What `ls` can list. */
export const LISTINGS = ['splits', 'datasets', 'aliases'] as const;
export type Listing = (typeof LISTINGS)[number];

export interface LsFlags extends SplitListFilter {
  readonly prefix?: string;
  readonly limit?: number;
}

const FILTERS: Readonly<Record<Listing, readonly (keyof LsFlags)[]>> = {
  splits: ['dataset', 'version', 'createdBy', 'from', 'to', 'alias'],
  datasets: ['prefix'],
  aliases: [],
};
const FLAG_NAMES: Readonly<Record<string, string>> = {
  dataset: '--dataset',
  version: '--version',
  createdBy: '--created-by',
  from: '--from',
  to: '--to',
  alias: '--alias',
  prefix: '--prefix',
};

/** The catalog, newest first: every page followed, like the other listings. */
export async function lsCommand(ctx: CommandContext, what: Listing, flags: LsFlags): Promise<CommandResult> {
  // A filter the listing can't apply would silently list everything: refuse it instead.
  const stray = Object.keys(FLAG_NAMES).filter(
    (key) => flags[key as keyof LsFlags] !== undefined && !FILTERS[what].includes(key as keyof LsFlags),
  );
  if (stray.length > 0) {
    const names = stray.map((key) => FLAG_NAMES[key]).join(', ');
    throw new UsageError('CLI.BAD_FILTER', `ls ${what} has no ${names} filter`, filterHelp(what));
  }
  if (what === 'aliases') return aliasListCommand(ctx, flags);
  if (what === 'datasets') return lsDatasets(ctx, flags);
  return lsSplits(ctx, flags);
}

function filterHelp(what: Listing): string {
  const names = FILTERS[what].map((key) => FLAG_NAMES[key]);
  return names.length === 0 ? `ls ${what} takes no filter` : `ls ${what} filters: ${names.join(', ')}`;
}

async function lsDatasets(ctx: CommandContext, flags: LsFlags): Promise<CommandResult> {
  const filter = flags.prefix === undefined ? {} : { prefix: flags.prefix };
  const page = await collectPages((query) => ctx.client.listDatasets({ ...filter, ...query }), flags.limit);
  const text = renderTable(
    ['registered', 'name', 'dataset', 'bytes', 'by'],
    page.items.map((d) => [d.createdAt, d.name ?? '', d.sha256, d.bytes, d.createdBy]),
  );
  return { data: page, text };
}

async function lsSplits(ctx: CommandContext, flags: LsFlags): Promise<CommandResult> {
  const { limit, prefix: _none, ...filter } = flags;
  const page = await collectPages((query) => ctx.client.listSplits({ ...filter, ...query }), limit);
  const text = renderTable(
    ['frozen', 'manifest', 'version', 'dataset', 'strategy', 'train', 'val', 'test', 'by'],
    page.items.map((s) => [
      s.createdAt,
      s.id,
      s.version ?? '',
      s.dataset.name ?? s.dataset.sha256,
      s.strategy,
      s.rows.train ?? 0,
      s.rows.validation ?? 0,
      s.rows.test ?? 0,
      s.createdBy,
    ]),
  );
  return { data: page, text };
}
