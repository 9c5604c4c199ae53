import type { SplitSpecInput } from '../../schemas/spec.js';

/** Golden cases: a source file and a spec; expected outputs live in expected.json. */
export const GOLDEN_CASES: readonly { name: string; input: string; spec: SplitSpecInput }[] = [
  {
    name: 'csv-random',
    input: 'golden.csv',
    spec: { strategy: 'random', seed: 42, ratios: { train: 0.7, validation: 0.15, test: 0.15 } },
  },
  {
    name: 'csv-random-shuffle',
    input: 'golden.csv',
    spec: { strategy: 'random', seed: 7, shuffle: true, ratios: { train: 0.6, validation: 0.2, test: 0.2 } },
  },
  {
    name: 'csv-stratified',
    input: 'golden.csv',
    spec: {
      strategy: 'stratified',
      stratifyBy: 'label',
      seed: 3,
      ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    },
  },
  {
    name: 'csv-group',
    input: 'golden.csv',
    spec: {
      strategy: 'group',
      groupBy: 'user',
      seed: 11,
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
    },
  },
  {
    name: 'csv-hash',
    input: 'golden.csv',
    spec: { strategy: 'hash', key: 'id', seed: 5, ratios: { train: 0.6, validation: 0.2, test: 0.2 } },
  },
  {
    name: 'csv-time',
    input: 'golden.csv',
    spec: { strategy: 'time', orderBy: 'ts', seed: 0, ratios: { train: 0.6, validation: 0.2, test: 0.2 } },
  },
  {
    name: 'jsonl-hash-group',
    input: 'golden.jsonl',
    spec: { strategy: 'hash', groupBy: 'store', seed: 9, ratios: { train: 0.5, validation: 0, test: 0.5 } },
  },
  {
    name: 'jsonl-stratified',
    input: 'golden.jsonl',
    spec: {
      strategy: 'stratified',
      stratifyBy: 'promo',
      seed: 1,
      shuffle: true,
      ratios: { train: 0.5, validation: 0.25, test: 0.25 },
    },
  },
  {
    name: 'jsonl-time-float',
    input: 'golden.jsonl',
    spec: { strategy: 'time', orderBy: 'price', seed: 0, ratios: { train: 0.75, validation: 0, test: 0.25 } },
  },
];
