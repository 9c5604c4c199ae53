import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli-error.js';
import type { CommandContext, CommandResult } from '../context.js';
import { downloadVerified } from '../download.js';
import { renderFields } from '../table.js';

export interface ArtifactFlags {
  readonly output?: string;
}

const HASH_OR_PREFIX = /^[0-9a-f]{8,64}$/;

/**
 * `splitvault artifact <sha256>`: stored bytes (a split file or a dataset) by their hash or
 * a unique prefix of 8+ hex characters. Prints the full hash and size; with -o, downloads the
 * bytes and checks them against the full hash the server resolved.
 */
export async function artifactCommand(
  ctx: CommandContext,
  ref: string,
  flags: ArtifactFlags,
): Promise<CommandResult> {
  if (!HASH_OR_PREFIX.test(ref)) {
    throw new UsageError(
      'CLI.BAD_HASH',
      `"${ref}" is not a SHA-256 or a prefix of one`,
      'give 8 to 64 lower-case hex characters, for example the first 8 of a split file hash that show prints',
    );
  }
  const link = await ctx.client.getArtifactDownload(ref);
  const info = { sha256: link.sha256, bytes: link.bytes };
  if (flags.output === undefined) {
    return {
      data: info,
      text: renderFields([
        ['sha256', link.sha256],
        ['bytes', link.bytes],
      ]),
    };
  }
  let dest = resolve(ctx.cwd, flags.output);
  const existing = await stat(dest).catch(() => undefined);
  if (existing?.isDirectory()) dest = join(dest, link.sha256);
  const done = await downloadVerified(link, dest, ctx.progress);
  return {
    data: { ...info, path: done.path },
    text: `${renderFields([
      ['sha256', done.sha256],
      ['bytes', done.bytes],
      ['file', done.path],
    ])}\nverified: the file matches its SHA-256`,
  };
}
