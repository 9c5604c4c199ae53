import { Provenance } from '../../schemas/records.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';
import { UsageError } from './cli-error.js';

/** The freeze flags as commander hands them over (all strings until parsed here). */
export interface FreezeFlags {
  readonly strategy: string;
  readonly seed?: string;
  readonly ratios: string;
  readonly stratifyBy?: string;
  readonly groupBy?: string;
  readonly key?: string;
  readonly orderBy?: string;
  readonly dedupe?: string;
  readonly shuffle?: boolean;
  readonly format?: string;
  readonly delimiter?: string;
  readonly source?: string;
  readonly version?: string;
  readonly parent?: readonly string[];
  readonly note?: string;
  readonly stickyTo?: string;
  readonly stickyBy?: string;
}

/** "0.8,0.1,0.1" as train, validation, test. */
export function parseRatios(text: string): { train: number; validation: number; test: number } {
  const parts = text.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 3 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw new UsageError(
      'CLI.BAD_RATIOS',
      `invalid --ratios "${text}"`,
      'give three numbers: train,validation,test',
    );
  }
  const [train, validation, test] = numbers as [number, number, number];
  return { train, validation, test };
}

/** An integer flag such as --seed, refusing "1.5", "abc" and unsafe integers. */
export function parseInteger(flag: string, text: string, min = 0): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError('CLI.BAD_INTEGER', `invalid ${flag} "${text}"`, `expected an integer >= ${min}`);
  }
  return value;
}

const DELIMITERS: Readonly<Record<string, string>> = {
  tab: '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
};

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(spec)'}: ${i.message}`).join('; ');
}

/** Builds and checks the split spec locally so a typo costs no upload. */
export function buildSpec(flags: FreezeFlags): SpecRequestInput {
  const delimiter =
    flags.delimiter === undefined ? undefined : (DELIMITERS[flags.delimiter] ?? flags.delimiter);
  const input: Record<string, unknown> = {
    strategy: flags.strategy,
    ratios: parseRatios(flags.ratios),
    shuffle: flags.shuffle === true,
  };
  const optional = {
    seed: flags.seed === undefined ? undefined : parseInteger('--seed', flags.seed),
    stratifyBy: flags.stratifyBy,
    groupBy: flags.groupBy,
    key: flags.key,
    orderBy: flags.orderBy,
    dedupe: flags.dedupe,
    format: flags.format,
    delimiter,
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) input[name] = value;
  const parsed = SpecRequest.safeParse(input);
  if (!parsed.success) throw new UsageError('CLI.BAD_SPEC', 'invalid split spec', issues(parsed.error));
  return input as SpecRequestInput;
}

/** Provenance from --source, --version, --parent and --note; undefined when none was given. */
export function buildProvenance(flags: FreezeFlags): Provenance | undefined {
  const input: Record<string, unknown> = {};
  if (flags.source !== undefined) input.source = flags.source;
  if (flags.version !== undefined) input.version = flags.version;
  if (flags.parent !== undefined && flags.parent.length > 0) input.parents = [...flags.parent];
  if (flags.note !== undefined) input.note = flags.note;
  if (Object.keys(input).length === 0) return undefined;
  const parsed = Provenance.safeParse(input);
  if (!parsed.success) throw new UsageError('CLI.BAD_PROVENANCE', 'invalid provenance', issues(parsed.error));
  return parsed.data;
}

/** stickyTo / stickyBy of the freeze request from --sticky-to and --sticky-by. */
export function buildSticky(flags: FreezeFlags): { stickyTo?: string; stickyBy?: string } {
  if (flags.stickyBy !== undefined && flags.stickyTo === undefined) {
    throw new UsageError(
      'CLI.BAD_STICKY',
      '--sticky-by needs --sticky-to',
      'name the manifest whose rows keep their split with --sticky-to',
    );
  }
  return {
    ...(flags.stickyTo !== undefined ? { stickyTo: flags.stickyTo } : {}),
    ...(flags.stickyBy !== undefined ? { stickyBy: flags.stickyBy } : {}),
  };
}
