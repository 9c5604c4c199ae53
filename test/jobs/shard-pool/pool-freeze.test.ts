/**
 * The sharded freeze with its shard steps on worker threads (SPLITVAULT_WORKERS) gives the bytes
 * and manifest of the one-process engine, and its errors, whatever the thread count.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolShardTasks, poolShardWorkers } from '../../../functions/handlers/shard-pool/pool-tasks.js';
import { ThreadPool } from '../../../functions/handlers/shard-pool/thread-pool.js';
import type { JobProgress } from '../../../schemas/records.js';
import { SpecRequest, type SpecRequestInput } from '../../../schemas/spec.js';
import { GOLDEN_CASES } from '../../golden/cases.js';
import { datasetOf, oneProcess, sharded, storeFiles, type TestDataset } from './support/pool-freeze.js';

const golden = join(import.meta.dirname, '..', '..', 'golden', 'inputs');
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/** Every strategy, with and without shuffle, on the generated CSV's columns. */
const STRATEGIES: SpecRequestInput[] = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'random', seed: 7, ratios, shuffle: true },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user', shuffle: true },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
  { strategy: 'time', ratios, orderBy: 'at' },
  { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
];

/** A CSV whose types settle late (a float in the last row) and whose notes need quoting. */
function generatedCsv(rows: number): Uint8Array {
  const lines = ['id,label,user,at,score,note'];
  for (let i = 0; i < rows; i++) {
    const score = i === rows - 1 ? '2.5' : String((i * 7) % 13);
    lines.push(`${i},c${(i * 31) % 4},u${(i * 17) % 29},${(i * 7919) % 5000},${score},"n ""${i % 5}"", ok"`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

const MANY = [0, 1, 2, 3];
const DATASETS: {
  name: string;
  files: () => Promise<Uint8Array[]>;
  specs: SpecRequestInput[];
  shard: number;
}[] = [
  {
    name: 'golden.csv',
    files: async () => [await readFile(join(golden, 'golden.csv'))],
    specs: GOLDEN_CASES.filter((c) => c.input === 'golden.csv').map((c) => c.spec),
    shard: 256,
  },
  {
    name: 'golden.jsonl',
    files: async () => [await readFile(join(golden, 'golden.jsonl'))],
    specs: GOLDEN_CASES.filter((c) => c.input === 'golden.jsonl').map((c) => c.spec),
    shard: 256,
  },
  {
    name: 'the 4-file Parquet dataset with dictionaries',
    files: () => Promise.all(MANY.map((k) => readFile(join(golden, 'many-files', `part-${k}.parquet`)))),
    specs: STRATEGIES.slice(0, 2).concat({ strategy: 'group', seed: 5, ratios, groupBy: 'user' }),
    shard: 1,
  },
  {
    name: 'the flat 4-file Parquet dataset',
    files: () => Promise.all(MANY.map((k) => readFile(join(golden, 'many-files', `flat-part-${k}.parquet`)))),
    specs: [
      { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'color' },
      { strategy: 'time', seed: 2, ratios, orderBy: 'at', shuffle: true },
    ],
    shard: 1,
  },
  {
    name: 'a generated 3,000-row CSV',
    files: async () => [generatedCsv(3000)],
    specs: STRATEGIES,
    shard: 8192,
  },
];

let blobDir = '';
beforeAll(async () => {
  blobDir = await mkdtemp(join(tmpdir(), 'splitvault-pool-'));
});
afterAll(async () => {
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

describe.each(DATASETS)('a sharded freeze of $name on worker threads', ({ files, specs, shard }) => {
  let dataset: TestDataset;
  beforeAll(async () => {
    dataset = datasetOf(await files());
    await storeFiles(blobDir, dataset);
  });

  it.each([1, 2, 3])(
    'gives the one-process manifest and split files, or its error, with %i workers',
    async (count) => {
      const run = poolShardWorkers({ blobDir, count, workerMemory: 2 ** 30 }).start(dataset.refs);
      try {
        for (const input of specs) {
          const spec = SpecRequest.parse(input);
          const expected = await oneProcess(dataset, spec);
          const inThread = await sharded(dataset, spec, shard);
          const onPool = await sharded(dataset, spec, shard, run.tasks);
          expect(onPool, JSON.stringify(input)).toEqual(inThread);
          // Datasets the sharded engine can freeze give the one-process bytes.
          if ('manifest' in inThread) expect(onPool, JSON.stringify(input)).toEqual(expected);
        }
      } finally {
        await run.close();
      }
    },
  );
});

describe('shard steps on worker threads', () => {
  const dataset = datasetOf([generatedCsv(3000)]);
  beforeAll(() => storeFiles(blobDir, dataset));

  it.each([1, 3])('runs a freeze of many shards on exactly %i threads', async (count) => {
    const pool = new ThreadPool({
      size: count,
      entry: new URL('../../../functions/handlers/shard-pool/shard-thread.ts', import.meta.url).href,
      workerData: {
        files: dataset.refs.map((r) => ({ ...r, path: join(blobDir, 'datasets', 'sha256', r.sha256) })),
      },
    });
    try {
      const spec = SpecRequest.parse(STRATEGIES[2]);
      const outcome = await sharded(dataset, spec, 4096, poolShardTasks(pool));
      expect(outcome).toEqual(await oneProcess(dataset, spec));
      expect(new Set(pool.threadIds).size).toBe(count);
    } finally {
      await pool.close();
    }
  });

  it('reports the same progress as a freeze in one thread', async () => {
    const spec = SpecRequest.parse(STRATEGIES[4]);
    const seen = (tasks?: Parameters<typeof sharded>[3]) => {
      const reports: JobProgress[] = [];
      return sharded(dataset, spec, 4096, tasks, (p) => reports.push(p)).then(() => reports);
    };
    const run = poolShardWorkers({ blobDir, count: 2, workerMemory: 2 ** 30 }).start(dataset.refs);
    try {
      const expected = await seen();
      expect(expected.length).toBeGreaterThan(0);
      expect(await seen(run.tasks)).toEqual(expected);
    } finally {
      await run.close();
    }
  });

  it("reports the lowest shard's error when two shards fail, as ingest of the whole file does", async () => {
    const lines = new TextDecoder().decode(generatedCsv(3000)).split('\n');
    // Rows past shard 0 with too many fields: one early, one late.
    lines[900] += ',extra';
    lines[2500] += ',extra';
    const bad = datasetOf([new TextEncoder().encode(lines.join('\n'))]);
    await storeFiles(blobDir, bad);
    const spec = SpecRequest.parse(STRATEGIES[0]);
    const run = poolShardWorkers({ blobDir, count: 3, workerMemory: 2 ** 30 }).start(bad.refs);
    try {
      const expected = await oneProcess(bad, spec);
      expect(expected).toHaveProperty('error.code');
      expect(await sharded(bad, spec, 4096, run.tasks)).toEqual(expected);
    } finally {
      await run.close();
    }
  });
});
