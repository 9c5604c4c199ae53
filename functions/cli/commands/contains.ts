import { SplitName } from '../../../schemas/common.js';
import { ManifestContent } from '../../../schemas/manifest.js';
import { SplitvaultError } from '../../core/errors.js';
import { rowIdentityFromJson } from '../../core/leakage/identity-from-json.js';
import { verifyMembership } from '../../core/leakage/merkle.js';
import { proofFromWire } from '../../core/leakage/proof-wire.js';
import { manifestId } from '../../core/manifest.js';
import { CliError, UsageError } from '../cli-error.js';
import type { CommandContext, CommandResult } from '../context.js';
import { toFailure } from '../report.js';
import { parseTarget, resolveManifestId } from './resolve-target.js';

/**
 * `splitvault contains <ref> <split> --row-json '{...}'`: whether a record was in a frozen split,
 * proved without downloading the split (docs/SPLIT-SPEC.md §8.6). The row's identity is computed
 * here from its values and the manifest's schema; the server's proof is checked here against the
 * root and size the freeze recorded. Exit 0: in the split; 1: not in it; 2: the command line or
 * the row is wrong; 3: no answer (a proof that does not verify, the service, the network).
 */

export const CONTAINS_HELP = `
The row's values are JSON: numbers as numbers (or strings, for 64-bit values), text as strings,
binary as base64, timestamps and dates as integers or ISO-8601 text, lists as arrays, structs as
objects. The identity is computed here; the manifest is checked against its id and the proof
against the root and size the freeze recorded for that manifest's split file, so a proof that
was damaged or altered cannot make this say "in" or "not in". The root itself is the service's
record of the freeze: to rule out a service that lies about it too, compare it with a leakage
report you kept (its address is printed by show --json).

Examples:
  splitvault contains prod-model train --row-json '{"user_id": 42, "text": "hello"}'
  splitvault contains 3f2a9c1b test --row-hex 2b2ce654c5dfc746473871a2cd49fe6f9b042143387de9a93b57e03d23680d05
`;

export interface ContainsFlags {
  readonly rowJson?: string;
  readonly rowHex?: string;
}

const ROW_HEX = /^[0-9a-fA-F]{64}$/;
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

/** The row's identity as lower-case hex, from --row-hex or from --row-json and the schema. */
function rowIdentity(flags: ContainsFlags, schema: Parameters<typeof rowIdentityFromJson>[0]): string {
  if (flags.rowHex !== undefined) return flags.rowHex.toLowerCase();
  try {
    return Buffer.from(rowIdentityFromJson(schema, flags.rowJson!)).toString('hex');
  } catch (error) {
    // The row does not fit the split's schema: an input error, like a bad flag.
    if (!(error instanceof SplitvaultError)) throw error;
    throw new CliError(error.code, error.message, { exitCode: 2, cause: error });
  }
}

function checkFlags(splitText: string, flags: ContainsFlags) {
  const split = SplitName.safeParse(splitText);
  if (!split.success) {
    throw new UsageError('CLI.BAD_SPLIT', `"${splitText}" is not a split`, 'use train, validation or test');
  }
  if ((flags.rowJson === undefined) === (flags.rowHex === undefined)) {
    throw new UsageError(
      'CLI.ROW_REQUIRED',
      'give the row as exactly one of --row-json or --row-hex',
      "--row-json takes the row's values as a JSON object; --row-hex a row identity (64 hex characters)",
    );
  }
  if (flags.rowHex !== undefined && !ROW_HEX.test(flags.rowHex)) {
    throw new UsageError('CLI.BAD_ROW_HEX', `--row-hex "${flags.rowHex}" is not 64 hex characters`);
  }
  return split.data;
}

async function prove(ctx: CommandContext, targetText: string, split: SplitName, flags: ContainsFlags) {
  const id = await resolveManifestId(ctx, parseTarget(targetText));
  const { manifest } = await ctx.client.getSplit(id);
  // The manifest is trusted only as far as its id, the SHA-256 of its content (§4), vouches for it.
  if (manifestId(ManifestContent.parse(manifest)) !== id) {
    throw new CliError(
      'MEMBERSHIP.MANIFEST_MISMATCH',
      `the service's manifest ${id} does not hash to its id`,
      {
        exitCode: 3,
      },
    );
  }
  const row = rowIdentity(flags, manifest.dataset.schema);
  const recorded = await ctx.client.getSplitIdentities(id, split);
  if (recorded.sha256 !== manifest.splits[split].sha256) {
    throw new CliError(
      'MEMBERSHIP.IDENTITIES_MISMATCH',
      `the recorded identities describe file ${recorded.sha256}, not the ${split} file ${manifest.splits[split].sha256}`,
      { exitCode: 3 },
    );
  }
  const answer = await ctx.client.getMembership(id, split, row);
  const trusted = { root: fromHex(recorded.merkleRoot), size: recorded.distinct };
  if (!verifyMembership(fromHex(row), proofFromWire(answer), trusted)) {
    throw new CliError(
      'MEMBERSHIP.PROOF_INVALID',
      `the service's proof for row ${row} does not verify against the recorded root of ${split}`,
      {
        exitCode: 3,
        detail: `recorded root ${recorded.merkleRoot} over ${recorded.distinct} identities; the proof claims ${answer.member ? 'membership' : 'absence'}: no answer can be given`,
      },
    );
  }
  return { id, row, recorded, answer };
}

export async function containsCommand(
  ctx: CommandContext,
  targetText: string,
  splitText: string,
  flags: ContainsFlags,
): Promise<CommandResult> {
  const split = checkFlags(splitText, flags);
  let proved: Awaited<ReturnType<typeof prove>>;
  try {
    proved = await prove(ctx, targetText, split, flags);
  } catch (error) {
    // 1 means "not in the split" here, so every failure to answer exits 3 instead.
    const report = toFailure(error);
    if (report.exitCode !== 1) throw error;
    throw new CliError(report.code, report.title, {
      exitCode: 3,
      cause: error,
      ...(report.detail ? { detail: report.detail } : {}),
    });
  }
  const { id, row, recorded, answer } = proved;
  const where = answer.member ? `leaf ${answer.leaf.index}` : neighbours(answer);
  const text = [
    `${answer.member ? 'in' : 'not in'} ${split}`,
    `  manifest ${id}`,
    `  row      ${row}`,
    `  proof    ${where} of ${recorded.distinct}, verified against root ${recorded.merkleRoot}`,
  ].join('\n');
  const data = {
    manifestId: id,
    split,
    row,
    member: answer.member,
    verified: true,
    root: recorded.merkleRoot,
    size: recorded.distinct,
    proof: answer,
  };
  return { data, text, exitCode: answer.member ? 0 : 1 };
}

function neighbours(answer: { below?: { index: number }; above?: { index: number } }): string {
  if (answer.below && answer.above) return `between leaves ${answer.below.index} and ${answer.above.index}`;
  if (answer.below) return `after the last leaf, ${answer.below.index}`;
  if (answer.above) return 'before the first leaf, 0';
  return 'an empty tree';
}
