import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DatasetFormat } from '../../schemas/spec.js';
import { clientFromConfig } from './client-from-config.js';
import {
  aliasHistoryCommand,
  aliasListCommand,
  aliasQuarantineCommand,
  aliasSetCommand,
  aliasShowCommand,
  rollbackCommand,
} from './commands/alias.js';
import { artifactCommand } from './commands/artifact.js';
import { AUDIT_HELP, auditCommand } from './commands/audit.js';
import { CONTAINS_HELP, containsCommand } from './commands/contains.js';
import { envCommand } from './commands/env.js';
import { freezeCommand } from './commands/freeze.js';
import { getCommand } from './commands/get.js';
import { lineageCommand } from './commands/lineage.js';
import { LISTINGS, type Listing, lsCommand } from './commands/ls.js';
import { showCommand } from './commands/show.js';
import { smokeCommand } from './commands/smoke.js';
import { verifyCommand } from './commands/verify.js';
import { resolveConfig } from './config.js';
import type { CommandContext, CommandResult } from './context.js';
import { uploadSettings } from './dataset-upload.js';
import { createProgress, jobPollLines } from './progress.js';
import { failureText, toFailure } from './report.js';
import { printableLines } from './terminal-text.js';

/** The process surface the CLI touches, injectable so tests and embedders can capture it. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly version: string;
}

function integer(min: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
      throw new InvalidArgumentError(`expected an integer >= ${min}, got "${text}"`);
    }
    return Number(text);
  };
}
const collect = (value: string, previous: string[] = []) => [...previous, value];

type Run = (ctx: CommandContext) => Promise<CommandResult>;

const FREEZE_EXAMPLES = `
Examples:
  splitvault freeze data.csv --strategy random --seed 42
  splitvault freeze data.csv --strategy stratified --stratify-by label --seed 7 --ratios 0.7,0.15,0.15
  splitvault freeze visits.csv --strategy stratified-group --group-by patient --stratify-by label --seed 7
  splitvault freeze events.parquet --strategy time --order-by ts --version v1
  splitvault freeze users.jsonl --strategy hash --key user_id --seed 1 --note "first cut"
  splitvault freeze shards/ --strategy random --seed 42          (every file under shards/)
  splitvault freeze 'parts/*.parquet' --strategy random --seed 42
  splitvault freeze data-v2.csv --strategy group --group-by user --seed 7 --sticky-to prod --sticky-by user
`;

/** Builds the command tree; `run` receives each command's work and owns output and exit codes. */
function buildProgram(
  io: CliIo,
  run: (cmd: Command, work: Run | (() => Promise<CommandResult>)) => Promise<void>,
) {
  const program = new Command('splitvault')
    .description('Frozen, content-addressed, auditable dataset splits')
    .option('--url <url>', 'service URL (env SPLITVAULT_URL, default http://localhost:3000)')
    .option('--token <token>', 'bearer token (env SPLITVAULT_TOKEN)')
    .option('--aws', 'sign requests with SigV4 from the AWS credential chain')
    .option('--region <region>', 'AWS region for SigV4 (default: from the URL or AWS_REGION)')
    .option('--json', 'print exactly one JSON document on stdout')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('freeze <paths...>')
    .description(
      'hash, upload if needed, and freeze a dataset into train/validation/test; several files, a directory or a glob make one many-file dataset (files sorted by path)',
    )
    .addOption(
      new Option('--strategy <name>', '(required) split strategy')
        .choices(['random', 'stratified', 'group', 'hash', 'time', 'stratified-group'])
        .makeOptionMandatory(),
    )
    .option('--seed <n>', '(required unless --strategy time without --shuffle) PRNG seed (integer)')
    .option('--ratios <t,v,t>', 'train,validation,test ratios', '0.8,0.1,0.1')
    .option(
      '--stratify-by <column>',
      '(required with --strategy stratified or stratified-group) label column',
    )
    .option(
      '--group-by <column>',
      '(required with --strategy group or stratified-group) rows sharing this column stay together',
    )
    .option('--key <column>', '(required with --strategy hash) key column')
    .option('--order-by <column>', '(required with --strategy time) time column')
    .option(
      '--dedupe <mode>',
      'leakage report: report (default), none, or refuse rows shared by train and validation/test',
    )
    .option('--shuffle', 'shuffle rows within each split')
    .option('--format <format>', `${formatList()} (default: detected)`)
    .option('--delimiter <d>', 'CSV delimiter: "," tab ";" "|"')
    .option('--source <uri>', 'where the dataset came from')
    .option('--version <v>', 'dataset version label')
    .option('--parent <manifest-id>', 'manifest this one derives from (repeatable)', collect)
    .option('--note <text>', 'free-text note recorded with the freeze')
    .option(
      '--sticky-to <target>',
      'keep every row this manifest (id, short id, alias or name@label) held in its split; split only new rows',
    )
    .option(
      '--sticky-by <column>',
      'with --sticky-to: match rows by this key column (default: the whole row)',
    )
    .addHelpText('after', FREEZE_EXAMPLES)
    .action(async (paths: string[], flags, cmd: Command) =>
      run(cmd, (ctx) => freezeCommand(ctx, paths, flags)),
    );

  program
    .command('get <target> [split]')
    .description('download a split of a manifest id or alias, checking its SHA-256')
    .option(
      '-o, --output <path>',
      'file, or directory with --all (created if missing); "-" streams the verified bytes to stdout',
    )
    .option('--all', 'fetch train, validation and test into the -o directory')
    .action(async (target: string, split: string | undefined, flags, cmd: Command) =>
      run(cmd, (ctx) => getCommand(ctx, target, split, flags)),
    );

  program
    .command('artifact <sha256>')
    .description('a stored split file or dataset by its SHA-256 or a unique prefix of 8+ characters')
    .option('-o, --output <path>', 'download it to this file (or directory), checking its SHA-256')
    .action(async (ref: string, flags, cmd: Command) => run(cmd, (ctx) => artifactCommand(ctx, ref, flags)));

  program
    .command('show <target>')
    .description('print a manifest and its freeze events')
    .action(async (target: string, _flags, cmd: Command) => run(cmd, (ctx) => showCommand(ctx, target)));
  program
    .command('lineage <target>')
    .description('print ancestors and descendants of a manifest')
    .action(async (target: string, _flags, cmd: Command) => run(cmd, (ctx) => lineageCommand(ctx, target)));
  program
    .command('verify <target>')
    .description('re-run a split on the server and re-hash its stored files; exit 1 unless both pass')
    .action(async (target: string, _flags, cmd: Command) => run(cmd, (ctx) => verifyCommand(ctx, target)));

  program
    .command('contains <target> <split>')
    .description(
      'prove whether a row was in a split without downloading it: exit 0 in, 1 not in, 2 bad input, 3 no answer',
    )
    .option('--row-json <json>', "the row's values as a JSON object (docs/SPLIT-SPEC.md §8.6)")
    .option('--row-hex <identity>', "the row's identity, 64 hex characters")
    .addHelpText('after', CONTAINS_HELP)
    .action(async (target: string, split: string, flags, cmd: Command) =>
      run(cmd, (ctx) => containsCommand(ctx, target, split, flags)),
    );

  const alias = program.command('alias').description('named, audited pointers to manifests');
  alias
    .command('set <name> <manifest-id>')
    .description('point an alias at a manifest')
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .option(
      '--expect-revision <n>',
      'fail unless the alias is at this revision (0: must not exist)',
      integer(0),
    )
    .option('--quarantine', 'new alias only: refuse later moves that train on its test rows')
    .option('--allow-test-leak', 'move a quarantined alias despite a test leak (audited with --reason)')
    .action(async (name: string, id: string, flags, cmd: Command) =>
      run(cmd, (ctx) => aliasSetCommand(ctx, name, id, flags)),
    );
  alias
    .command('quarantine <name>')
    .description('turn test quarantine on or off (a new, audited revision)')
    .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off']))
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .option('--expect-revision <n>', 'fail unless the alias is at this revision', integer(1))
    .action(async (name: string, state: 'on' | 'off', flags, cmd: Command) =>
      run(cmd, (ctx) => aliasQuarantineCommand(ctx, name, state, flags)),
    );
  alias
    .command('show <name>')
    .description('where an alias points now')
    .action(async (name: string, _flags, cmd: Command) => run(cmd, (ctx) => aliasShowCommand(ctx, name)));
  alias
    .command('history <name>')
    .description('every move of an alias, newest first')
    .option('--at <time>', 'only the move in force at this ISO time')
    .option('--limit <n>', 'at most this many moves', integer(1))
    .action(async (name: string, flags, cmd: Command) =>
      run(cmd, (ctx) => aliasHistoryCommand(ctx, name, flags)),
    );
  alias
    .command('list')
    .description('all aliases')
    .option('--limit <n>', 'at most this many aliases', integer(1))
    .action(async (flags, cmd: Command) => run(cmd, (ctx) => aliasListCommand(ctx, flags)));

  program
    .command('ls')
    .description('list what was frozen, newest first: splits (default), datasets or aliases')
    .addArgument(new Argument('[what]', 'what to list').choices(LISTINGS).default('splits'))
    .option('--dataset <sha256>', 'splits: only manifests of this dataset')
    .option('--version <label>', 'splits: only this version label (of the first freeze)')
    .option('--created-by <actor>', 'splits: only manifests this actor froze first')
    .option('--from <time>', 'splits: frozen at or after this ISO time')
    .option('--to <time>', 'splits: frozen at or before this ISO time')
    .option('--alias <name>', 'splits: only manifests this alias has pointed at')
    .option('--prefix <text>', 'datasets: only names starting with this')
    .option('--limit <n>', 'at most this many rows', integer(1))
    .action(async (what: Listing, flags, cmd: Command) => run(cmd, (ctx) => lsCommand(ctx, what, flags)));

  program
    .command('rollback <name>')
    .description('move an alias back to its previous (or a given) revision')
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .option('--to-revision <n>', 'revision to go back to', integer(1))
    .option('--expect-revision <n>', 'fail unless the alias is at this revision (safe retries)', integer(1))
    .option('--allow-test-leak', 'roll a quarantined alias back despite a test leak (audited with --reason)')
    .action(async (name: string, flags, cmd: Command) =>
      run(cmd, (ctx) => rollbackCommand(ctx, name, flags)),
    );

  program
    .command('audit')
    .description('the audit log, newest first')
    .option('--actor <actor>', 'only this actor')
    .option('--action <action>', 'only this action: freeze, set, rollback... or split.freeze, alias.set...')
    .option('--target <target>', 'only this target: an alias name, a manifest id, or alias:NAME, split:ID...')
    .option('--limit <n>', 'at most this many entries', integer(1))
    .addHelpText('after', AUDIT_HELP)
    .action(async (flags, cmd: Command) => run(cmd, (ctx) => auditCommand(ctx, flags)));

  program
    .command('smoke')
    .description('check a deployment end to end with a dataset of its own (run after every deploy)')
    .action(async (_flags, cmd: Command) =>
      run(cmd, (ctx) => {
        const config = resolveConfig(cmd.optsWithGlobals(), io.env);
        return smokeCommand(ctx, { auth: config.aws ? 'aws' : config.token ? 'token' : 'none' });
      }),
    );

  program
    .command('env')
    .description('print the environment fingerprint attached to freezes')
    .action(async (_flags, cmd: Command) => run(cmd, () => envCommand(io.cwd, io.version)));
  return program;
}

/** Runs one command line (without the node and script arguments) and returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  // Handled here, not by commander's .version(): freeze has its own --version (the dataset's).
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    io.stdout.write(`${io.version}\n`);
    return 0;
  }
  // A bare `splitvault` is a usage error: show what it can do, and say so in the exit status.
  if (args.length === 0) {
    buildProgram(io, async () => {}).outputHelp({ error: true });
    return 2;
  }
  let exitCode = 0;
  const wantsJson = args.includes('--json');
  const fail = (error: unknown) => {
    const report = toFailure(error);
    io.stderr.write(failureText(report));
    if (wantsJson) io.stdout.write(`${JSON.stringify({ error: report }, null, 2)}\n`);
    exitCode = report.exitCode;
  };
  const program = buildProgram(io, async (cmd, work) => {
    const globals = cmd.optsWithGlobals();
    // Built on first use so that `env` and usage errors never need a reachable, configured service.
    let client: CommandContext['client'] | undefined;
    try {
      const ctx: CommandContext = {
        get client() {
          client ??= clientFromConfig(resolveConfig(globals, io.env));
          return client;
        },
        progress: createProgress(io.stderr),
        ...(globals.json ? { onJobPoll: jobPollLines(io.stderr) } : {}),
        cwd: io.cwd,
        uploads: uploadSettings(io.env),
        version: io.version,
        stdout: io.stdout,
      };
      const result = await (work as Run)(ctx);
      // Tables already escape their cells; this catches any other service text in the output.
      (result.summaryTo === 'stderr' ? io.stderr : io.stdout).write(
        globals.json ? `${JSON.stringify(result.data, null, 2)}\n` : `${printableLines(result.text)}\n`,
      );
      exitCode = result.exitCode ?? 0;
    } catch (error) {
      fail(error);
    }
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return 0;
    if (wantsJson)
      io.stdout.write(
        `${JSON.stringify({ error: { code: 'CLI.USAGE', title: error.message, exitCode: 2 } }, null, 2)}\n`,
      );
    return 2;
  }
  return exitCode;
}

/** The accepted formats as help text ("csv, jsonl, ... or arrow-stream"), from the one schema. */
function formatList(): string {
  const names = [...DatasetFormat.options];
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
