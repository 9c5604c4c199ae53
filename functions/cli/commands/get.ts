import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SPLIT_NAMES, SplitName } from '../../../schemas/common.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext, CommandResult } from '../context.js';
import { downloadVerified } from '../download.js';
import { renderTable } from '../table.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';

export interface GetFlags {
  readonly output?: string;
  readonly all?: boolean;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function parseSplit(text: string): SplitName {
  const parsed = SplitName.safeParse(text);
  if (!parsed.success)
    throw new UsageError('CLI.BAD_SPLIT', `unknown split "${text}"`, 'use train, validation or test');
  return parsed.data;
}

/** Downloads one split (or all three) and checks every byte against the manifest's SHA-256. */
export async function getCommand(
  ctx: CommandContext,
  targetText: string,
  splitText: string | undefined,
  flags: GetFlags,
): Promise<CommandResult> {
  const target = parseTarget(targetText);
  if (flags.all && splitText !== undefined) {
    throw new UsageError('CLI.BAD_ARGS', `give a split name ("${splitText}") or --all, not both`);
  }
  if (!flags.all && splitText === undefined)
    throw new UsageError('CLI.BAD_ARGS', 'missing split name (or --all)');
  const files: { split: SplitName; path: string; sha256: string; bytes: number; rows: number | undefined }[] =
    [];
  if (flags.all) {
    const dir = resolve(ctx.cwd, flags.output ?? '.');
    if (!(await isDirectory(dir)))
      throw new UsageError('CLI.BAD_OUTPUT', `--all needs -o to be a directory: "${dir}"`);
    // One alias lookup up front, so the three files come from the same manifest even if it moves.
    const id = await resolveManifestId(ctx, target);
    for (const split of SPLIT_NAMES) {
      const link = await ctx.client.getSplitDownload(id, split);
      const done = await downloadVerified(link, join(dir, `${split}.arrow`), ctx.progress);
      files.push({ split, ...done, rows: link.rows });
    }
  } else {
    const split = parseSplit(splitText ?? '');
    // An alias is read in the same request as its split; anything else names one manifest.
    const link =
      target.kind === 'alias'
        ? await ctx.client.getAliasSplitDownload(target.name, split)
        : await ctx.client.getSplitDownload(await resolveManifestId(ctx, target), split);
    let dest = resolve(ctx.cwd, flags.output ?? `${split}.arrow`);
    if (await isDirectory(dest)) dest = join(dest, `${split}.arrow`);
    const done = await downloadVerified(link, dest, ctx.progress);
    files.push({ split, ...done, rows: link.rows });
  }
  const text = renderTable(
    ['split', 'rows', 'bytes', 'sha256', 'file'],
    files.map((f) => [f.split, f.rows ?? '', f.bytes, f.sha256, f.path]),
  );
  return { data: { files }, text: `${text}\nverified: every file matches its SHA-256` };
}
