import fc from 'fast-check';
import { SplitSpec } from '../../../../schemas/spec.js';

/** Ratios with zeros and one-split cases, so SPEC.EMPTY_SPLIT and ratio-0 splits both occur. */
export const arbRatios = fc.constantFrom(
  { train: 0.6, validation: 0.2, test: 0.2 },
  { train: 0.5, validation: 0.5, test: 0 },
  { train: 0.8, validation: 0, test: 0.2 },
  { train: 1, validation: 0, test: 0 },
  { train: 0, validation: 0, test: 1 },
  { train: 0.34, validation: 0.33, test: 0.33 },
  { train: 0.1, validation: 0.1, test: 0.8 },
);

/** Which columns each strategy may read from a table ("nope" is a column no table has). */
export interface SpecColumns {
  readonly stratify: readonly string[];
  readonly group: readonly string[];
  readonly hash: readonly string[];
  readonly order: readonly string[];
  readonly sgStratify: readonly string[];
}

/** A spec of every strategy, shuffled or not, on the table's columns. */
export function arbSpec(cols: SpecColumns): fc.Arbitrary<SplitSpec> {
  const pick = (names: readonly string[]) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...names), weight: 12 },
      { arbitrary: fc.constant('nope'), weight: 1 },
    );
  const common = { seed: fc.integer({ min: 0, max: 2 ** 40 }), ratios: arbRatios, shuffle: fc.boolean() };
  const specs = fc.oneof(
    fc.record({ strategy: fc.constant('random'), ...common }),
    fc.record({ strategy: fc.constant('stratified'), stratifyBy: pick(cols.stratify), ...common }),
    fc.record({ strategy: fc.constant('group'), groupBy: pick(cols.group), ...common }),
    fc.record({ strategy: fc.constant('hash'), key: pick(cols.hash), ...common }),
    fc.record({ strategy: fc.constant('hash'), groupBy: pick(cols.group), ...common }),
    fc.record({ strategy: fc.constant('time'), orderBy: pick(cols.order), ...common }),
    fc.record({
      strategy: fc.constant('stratified-group'),
      stratifyBy: pick(cols.sgStratify),
      groupBy: pick(cols.group),
      ...common,
    }),
  );
  return specs.map((spec) => SplitSpec.parse(spec));
}

/** Cut points for `rows` rows: ascending, repeats and ends allowed (empty and one-row shards). */
export function arbCuts(rows: number): fc.Arbitrary<number[]> {
  return fc
    .array(fc.integer({ min: 0, max: rows }), { maxLength: 7 })
    .map((cuts) => cuts.sort((a, b) => a - b));
}
