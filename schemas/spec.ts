import * as z from 'zod';

/** Column types that CSV, JSON Lines and JSON inference (or an explicit schema) can produce. */
export const ColumnType = z.enum(['int64', 'float64', 'bool', 'utf8', 'timestamp']);
export type ColumnType = z.infer<typeof ColumnType>;

export const DatasetFormat = z.enum(['csv', 'jsonl', 'json', 'parquet', 'arrow', 'arrow-stream']);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const Strategy = z.enum(['random', 'stratified', 'group', 'hash', 'time', 'stratified-group']);
export type Strategy = z.infer<typeof Strategy>;

const Ratio = z.number().finite().min(0).max(1);
const ColumnName = z.string().min(1).max(1024);

export const Ratios = z
  .object({ train: Ratio, validation: Ratio, test: Ratio })
  .strict()
  .refine((r) => Math.abs(r.train + r.validation + r.test - 1) <= 1e-9, {
    message: 'ratios must sum to 1 (within 1e-9)',
  });

// Not .int(): its failure aborts the object, which would hide the cross-field checks below.
const Seed = z
  .number()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .refine(Number.isInteger, { message: 'must be an integer' });

const specShape = {
  strategy: Strategy,
  seed: Seed,
  ratios: Ratios,
  stratifyBy: ColumnName.optional(),
  groupBy: ColumnName.optional(),
  key: ColumnName.optional(),
  orderBy: ColumnName.optional(),
  shuffle: z.boolean().default(false),
  format: DatasetFormat.optional(),
  delimiter: z.enum([',', '\t', ';', '|']).optional(),
  schema: z.record(ColumnName, ColumnType).optional(),
  /** Leakage report (docs/SPLIT-SPEC.md §8.4); left out of a frozen spec when "report". */
  dedupe: z.enum(['none', 'report', 'refuse']).optional(),
};

interface StrategyColumns {
  readonly strategy: Strategy;
  readonly stratifyBy?: string | undefined;
  readonly groupBy?: string | undefined;
  readonly key?: string | undefined;
  readonly orderBy?: string | undefined;
}

/** The column each strategy needs; refine() returns the same schema, so the type is kept. */
function requireColumns<S extends z.ZodType<StrategyColumns>>(schema: S): S {
  return schema
    .refine((spec) => spec.stratifyBy !== undefined, needs('stratified', 'stratifyBy'))
    .refine((spec) => spec.groupBy !== undefined, needs('group', 'groupBy'))
    .refine((spec) => spec.stratifyBy !== undefined, needs('stratified-group', 'stratifyBy'))
    .refine((spec) => spec.groupBy !== undefined, needs('stratified-group', 'groupBy'))
    .refine((spec) => spec.orderBy !== undefined, needs('time', 'orderBy'))
    .refine(
      (spec) => spec.key !== undefined || spec.groupBy !== undefined,
      needs('hash', 'key', 'key or groupBy'),
    );
}

/**
 * A split spec as frozen into a manifest, defaults filled in; core receives this and never
 * re-validates it. Stored manifests are read with it, so it stays as lenient as every spec
 * ever frozen: new requests go through SpecRequest.
 */
export const SplitSpec = requireColumns(z.object(specShape).strict());

/** The problem code of a spec field that the strategy or the format would ignore. */
export const IRRELEVANT_FIELD = 'SPEC.IRRELEVANT_FIELD';

/** What a freeze does about duplicate rows when the spec doesn't say. */
export const DEFAULT_DEDUPE = 'report';

/** The seed recorded for a split that draws no random numbers (`time` without shuffle). */
export const UNUSED_SEED = 0;

/**
 * What a user asks for when freezing a split. A field the strategy or the named format would
 * ignore is refused (SPEC.IRRELEVANT_FIELD) instead of being baked into the manifest id, so
 * the same split files get the same id (docs/SPLIT-SPEC.md, "Spec identity"). `seed` may be
 * left out where nothing is random and is then recorded as UNUSED_SEED.
 */
export const SpecRequest = requireColumns(z.object({ ...specShape, seed: Seed.optional() }).strict())
  .superRefine((spec, ctx) => {
    for (const issue of specIssues(spec)) {
      ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message, params: issue.params });
    }
  })
  .transform(
    ({ dedupe, ...spec }): SplitSpec => ({
      ...spec,
      seed: spec.seed ?? UNUSED_SEED,
      // The default is recorded as absence, so every spec frozen before dedupe keeps its id.
      ...(dedupe === undefined || dedupe === DEFAULT_DEDUPE ? {} : { dedupe }),
    }),
  );
export type SpecRequestInput = z.input<typeof SpecRequest>;

/** The formats whose columns are typed by inference, so an explicit schema applies. */
export const TEXT_FORMATS: ReadonlySet<DatasetFormat> = new Set(['csv', 'jsonl', 'json']);

interface RequestedSpec extends StrategyColumns {
  readonly seed?: number | undefined;
  readonly shuffle: boolean;
  readonly format?: DatasetFormat | undefined;
  readonly delimiter?: string | undefined;
  readonly schema?: Readonly<Record<string, ColumnType>> | undefined;
}

const COLUMN_FIELDS = ['stratifyBy', 'groupBy', 'key', 'orderBy'] as const;

/** Whether the strategy reads the column field (hash reads groupBy only when key is absent). */
function usesColumn(spec: RequestedSpec, field: (typeof COLUMN_FIELDS)[number]): boolean {
  switch (field) {
    case 'stratifyBy':
      return spec.strategy === 'stratified' || spec.strategy === 'stratified-group';
    case 'groupBy':
      return (
        spec.strategy === 'group' ||
        spec.strategy === 'stratified-group' ||
        (spec.strategy === 'hash' && spec.key === undefined)
      );
    case 'key':
      return spec.strategy === 'hash';
    case 'orderBy':
      return spec.strategy === 'time';
  }
}

/** Every field the split would ignore, and a seed missing where one is drawn from. */
function specIssues(spec: RequestedSpec): { field: string; message: string; params?: { code: string } }[] {
  const irrelevant = (field: string, why: string) => ({
    field,
    message: `${why}; leave ${field} out`,
    params: { code: IRRELEVANT_FIELD },
  });
  const issues: { field: string; message: string; params?: { code: string } }[] = COLUMN_FIELDS.filter(
    (field) => spec[field] !== undefined && !usesColumn(spec, field),
  ).map((field) => irrelevant(field, `strategy "${spec.strategy}" does not use ${field}`));
  const random = spec.strategy !== 'time' || spec.shuffle;
  if (random && spec.seed === undefined) {
    issues.push({ field: 'seed', message: `strategy "${spec.strategy}" needs seed` });
  }
  if (!random && spec.seed !== undefined && spec.seed !== UNUSED_SEED) {
    issues.push(irrelevant('seed', 'strategy "time" without shuffle draws no random numbers'));
  }
  if (spec.format !== undefined && spec.format !== 'csv' && spec.delimiter !== undefined) {
    issues.push(irrelevant('delimiter', `format "${spec.format}" has no delimiter`));
  }
  if (spec.format !== undefined && !TEXT_FORMATS.has(spec.format) && spec.schema) {
    issues.push(irrelevant('schema', `format "${spec.format}" carries its own schema`));
  }
  return issues;
}

/**
 * A strategy's required column. `when` lets the check run even if other fields already
 * failed (zod skips refinements then by default), so one 400 lists every problem.
 */
function needs(strategy: Strategy, path: string, what: string = path) {
  return {
    path: [path],
    message: `strategy "${strategy}" needs ${what}`,
    when: (payload: { value: unknown }) =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      (payload.value as { strategy?: unknown }).strategy === strategy,
  };
}

export type SplitSpecInput = z.input<typeof SplitSpec>;
export type SplitSpec = z.output<typeof SplitSpec>;
