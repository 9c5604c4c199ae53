import * as z from 'zod';

/** Column types that CSV and JSON Lines inference (or an explicit schema) can produce. */
export const ColumnType = z.enum(['int64', 'float64', 'bool', 'utf8', 'timestamp']);
export type ColumnType = z.infer<typeof ColumnType>;

export const DatasetFormat = z.enum(['csv', 'jsonl', 'parquet', 'arrow', 'arrow-stream']);
export type DatasetFormat = z.infer<typeof DatasetFormat>;

export const Strategy = z.enum(['random', 'stratified', 'group', 'hash', 'time']);
export type Strategy = z.infer<typeof Strategy>;

const Ratio = z.number().finite().min(0).max(1);
const ColumnName = z.string().min(1).max(1024);

export const Ratios = z
  .object({ train: Ratio, validation: Ratio, test: Ratio })
  .strict()
  .refine((r) => Math.abs(r.train + r.validation + r.test - 1) <= 1e-9, {
    message: 'ratios must sum to 1 (within 1e-9)',
  });

/**
 * What a user asks for when freezing a split. Parsed once at the edge; core receives the
 * normalized output (defaults filled in) and never re-validates it.
 */
export const SplitSpec = z
  .object({
    strategy: Strategy,
    // Not .int(): its failure aborts the object, which would hide the cross-field checks below.
    seed: z
      .number()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .refine(Number.isInteger, { message: 'must be an integer' }),
    ratios: Ratios,
    stratifyBy: ColumnName.optional(),
    groupBy: ColumnName.optional(),
    key: ColumnName.optional(),
    orderBy: ColumnName.optional(),
    shuffle: z.boolean().default(false),
    format: DatasetFormat.optional(),
    delimiter: z.enum([',', '\t', ';', '|']).optional(),
    schema: z.record(ColumnName, ColumnType).optional(),
  })
  .strict()
  .refine((spec) => spec.stratifyBy !== undefined, needs('stratified', 'stratifyBy'))
  .refine((spec) => spec.groupBy !== undefined, needs('group', 'groupBy'))
  .refine((spec) => spec.orderBy !== undefined, needs('time', 'orderBy'))
  .refine(
    (spec) => spec.key !== undefined || spec.groupBy !== undefined,
    needs('hash', 'key', 'key or groupBy'),
  );

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
