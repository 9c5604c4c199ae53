import type { SpecRequestInput } from '../../schemas/spec.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/**
 * The many-file golden datasets (inputs/many-files, made by make.py): four Parquet files each,
 * with dictionary-encoded columns or without. many-files.expected.json records every dataset
 * under every spec of MANY_FILES_SPECS, as `<dataset>/<spec>`; the freeze steps' conformance
 * suite holds its sharded freezes to the same records.
 */
export const MANY_FILES_DATASETS = {
  dictionary: [0, 1, 2, 3].map((k) => `part-${k}.parquet`),
  flat: [0, 1, 2, 3].map((k) => `flat-part-${k}.parquet`),
};

export const MANY_FILES_SPECS: Record<string, SpecRequestInput> = {
  random: { strategy: 'random', seed: 7, ratios },
  'random-shuffle': { strategy: 'random', seed: 7, ratios, shuffle: true },
  stratified: { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'color' },
  group: { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  hash: { strategy: 'hash', seed: 9, ratios, key: 'id' },
  time: { strategy: 'time', ratios, orderBy: 'at' },
};
