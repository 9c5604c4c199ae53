import { z } from 'zod';

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
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
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
  .superRefine((spec, ctx) => {
    const needs: Record<string, keyof typeof spec | undefined> = {
      stratified: 'stratifyBy',
      group: 'groupBy',
      time: 'orderBy',
    };
    const field = needs[spec.strategy];
    if (field && spec[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `strategy "${spec.strategy}" needs ${field}` });
    }
    if (spec.strategy === 'hash' && spec.key === undefined && spec.groupBy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'strategy "hash" needs key or groupBy' });
    }
  });

export type SplitSpecInput = z.input<typeof SplitSpec>;
export type SplitSpec = z.output<typeof SplitSpec>;
