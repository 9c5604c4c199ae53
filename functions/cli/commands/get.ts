import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
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
    if (flags.output === '-')
      throw new UsageError('CLI.BAD_OUTPUT', '--all writes three files: give -o a directory, not "-"');
    const dir = resolve(ctx.cwd, flags.output ?? '.');
    const existing = await stat(dir).catch(() => undefined);
    if (existing && !existing.isDirectory())
      throw new UsageError('CLI.BAD_OUTPUT', `--all needs -o to be a directory: "${dir}"`);
    await mkdir(dir, { recursive: true });
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
    if (flags.output === '-') {
      const done = await downloadToStdout(ctx, link);
      files.push({ split, ...done, rows: link.rows });
      return { data: { files }, text: summary(files), summaryTo: 'stderr' };
    }
    let dest = resolve(ctx.cwd, flags.output ?? `${split}.arrow`);
    if (await isDirectory(dest)) dest = join(dest, `${split}.arrow`);
    const done = await downloadVerified(link, dest, ctx.progress);
    files.push({ split, ...done, rows: link.rows });
  }
  return { data: { files }, text: summary(files) };
}

function summary(
  files: readonly {
    split: SplitName;
    path: string;
    sha256: string;
    bytes: number;
    rows: number | undefined;
  }[],
): string {
  const table = renderTable(
    ['split', 'rows', 'bytes', 'sha256', 'file'],
    files.map((f) => [f.split, f.rows ?? '', f.bytes, f.sha256, f.path]),
  );
  return `${table}\nverified: every file matches its SHA-256`;
}

/**
 * `-o -`: the split is spooled to a private temporary file and checked first, so a reader of
 * stdout gets verified bytes or none at all, never a prefix of a damaged file.
 */
async function downloadToStdout(
  ctx: CommandContext,
  link: Parameters<typeof downloadVerified>[0],
): Promise<{ path: string; sha256: string; bytes: number }> {
  const spool = await mkdtemp(join(tmpdir(), 'splitvault-get-'));
  try {
    const done = await downloadVerified(link, join(spool, 'split.arrow'), ctx.progress);
    await pipeline(createReadStream(done.path), ctx.stdout, { end: false });
    return { ...done, path: '-' };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}
