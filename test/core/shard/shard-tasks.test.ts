import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/hash.js';
import { inThreadTasks, runOrdered, type ShardTasks } from '../../../functions/core/shard/shard-tasks.js';
import { freezeSharded } from '../../../functions/core/shard/sharded-freeze.js';
import type { DatasetSource } from '../../../functions/core/shard/source.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { SpecRequest, type SpecRequestInput } from '../../../schemas/spec.js';
import { expectShardedSame, memorySink } from './support/freeze-parity.js';
import { memorySource } from './support.js';

const golden = join(import.meta.dirname, '..', '..', 'golden', 'inputs');
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The steps as another thread or process would run them: every input and output crosses a
 * structured clone (a worker's postMessage), results come back after a delay chosen so that
 * later shards tend to finish first, and the calls actually overlap.
 */
function remoteTasks(source: DatasetSource, concurrency: number) {
  const local = inThreadTasks(source);
  let running = 0;
  const seen = { most: 0 };
  const remote = async <T>(work: () => Promise<T>, shard: number): Promise<T> => {
    running++;
    seen.most = Math.max(seen.most, running);
    try {
      await tick((7 - (shard % 7)) * 2);
      return structuredClone(await work());
    } finally {
      running--;
    }
  };
  const tasks: ShardTasks = {
    concurrency,
    scan: (context, shard) => remote(() => local.scan(structuredClone(context), shard), shard),
    summarize: (context, shard) => remote(() => local.summarize(structuredClone(context), shard), shard),
    write: (context, slice) =>
      remote(() => local.write(structuredClone(context), structuredClone(slice)), slice.shard),
  };
  return { tasks, seen };
}

/** Freezes with remote tasks against the one-process engine; the most calls seen at once. */
async function expectRemoteSame(
  files: readonly Uint8Array[],
  input: SpecRequestInput,
  targetShardBytes: number,
) {
  const source = memorySource(files);
  const { tasks, seen } = remoteTasks(source, 3);
  await expectShardedSame(files, input, { targetShardBytes, tasks, source });
  return seen.most;
}

function csv(rows: number, bad: readonly number[] = []): Uint8Array {
  const lines = ['id,label,user,at,note'];
  for (let i = 0; i < rows; i++) {
    // A bad row has one field too many: ingest refuses it, naming its line.
    const extra = bad.includes(i) ? ',surplus' : '';
    lines.push(`${i},c${i % 3},u${i % 11},${(i * 7919) % 1000},"n ""${i}"""${extra}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('runOrdered', () => {
  it('runs at most `concurrency` tasks at once and hands results over in index order, though they finish out of order', async () => {
    let running = 0;
    let most = 0;
    const consumed: number[] = [];
    await runOrdered(
      12,
      { concurrency: 3, width: 6 },
      async (i) => {
        running++;
        most = Math.max(most, running);
        await tick(12 - i);
        running--;
        return i * 10;
      },
      (value, index) => {
        expect(value).toBe(index * 10);
        consumed.push(index);
      },
    );
    expect(consumed).toEqual([...Array(12).keys()]);
    expect(most).toBe(3);
  });

  it('keeps no more than `width` tasks started ahead of the consumer', async () => {
    const started: number[] = [];
    let consumed = 0;
    await runOrdered(
      10,
      { concurrency: 4, width: 4 },
      async (i) => {
        started.push(i);
        expect(i).toBeLessThan(consumed + 4);
        // Task 0 is the slowest: the others must wait for it rather than run ahead.
        await tick(i === 0 ? 20 : 1);
        return i;
      },
      async () => {
        await tick(1);
        consumed++;
      },
    );
    expect(started).toEqual([...Array(10).keys()]);
  });

  it('starts only the task the consumer waits for while finished results past `maxWaitingBytes` wait, and still finishes when one result alone is past it', async () => {
    for (const [bytes, bound] of [
      [100, 250],
      [1000, 250],
    ] as const) {
      const finished = new Set<number>();
      let consumed = 0;
      const startedPast: number[] = [];
      await runOrdered(
        12,
        { concurrency: 3, width: 12, maxWaitingBytes: bound, bytesOf: () => bytes },
        async (i) => {
          if (i !== consumed && finished.size * bytes > bound) startedPast.push(i);
          // Later tasks finish first, and the consumer is slower than the tasks.
          await tick(12 - i);
          finished.add(i);
          return i;
        },
        async (value, index) => {
          expect(value).toBe(index);
          await tick(8);
          finished.delete(index);
          consumed++;
        },
      );
      expect(consumed).toBe(12);
      expect(startedPast).toEqual([]);
    }
  });

  it('throws the lowest failing index, starts nothing after a failure and waits for the tasks still running', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const error = await runOrdered(
      20,
      { concurrency: 4, width: 8 },
      async (i) => {
        started.push(i);
        // Task 5 fails at once; task 3 fails later; task 4 is still working when 3 fails.
        await tick(i === 5 ? 0 : i === 3 ? 15 : i === 4 ? 30 : 2);
        finished.push(i);
        if (i === 3 || i === 5) throw new Error(`task ${i}`);
        return i;
      },
      () => undefined,
    ).then(
      () => new Error('no failure'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe('task 3');
    expect(Math.max(...started)).toBeLessThanOrEqual(6);
    // Everything started has finished before runOrdered returned.
    expect(new Set(finished)).toEqual(new Set(started));
  });

  it('passes on a failure of the consumer after the running tasks are done', async () => {
    const finished: number[] = [];
    const error = await runOrdered(
      6,
      { concurrency: 3, width: 3 },
      async (i) => {
        await tick(5);
        finished.push(i);
        return i;
      },
      (value) => {
        if (value === 1) throw new Error('sink full');
      },
    ).then(
      () => new Error('no failure'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe('sink full');
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThanOrEqual(4);
  });
});

describe('the sharded freeze with tasks run elsewhere', () => {
  it('gives the one-process bytes when steps cross a structured clone, overlap and finish out of order', async () => {
    const specs: SpecRequestInput[] = [
      { strategy: 'random', seed: 7, ratios },
      { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
      { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
      { strategy: 'hash', seed: 9, ratios, key: 'id' },
      { strategy: 'time', ratios, orderBy: 'at' },
      { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
      { strategy: 'random', seed: 7, ratios, shuffle: true },
    ];
    // 70,000 rows: batches of 65,536 straddle shards, so parts carry head and tail rows.
    const data = csv(70_000);
    for (const spec of specs) {
      expect(await expectRemoteSame([data], spec, 150_000)).toBe(3);
    }
  });

  it('gives the multi-file Parquet and the nested, dictionary Arrow golden inputs their one-process bytes', async () => {
    const parts = [0, 1, 2, 3].map(
      (k) => new Uint8Array(readFileSync(join(golden, 'many-files', `part-${k}.parquet`))),
    );
    await expectRemoteSame(parts, { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'color' }, 1);
    const nested = new Uint8Array(readFileSync(join(golden, 'nested', 'nested.arrow')));
    await expectRemoteSame([nested], { strategy: 'random', seed: 11, ratios }, 1);
  });

  it("reports the error of the dataset's first bad row when a later shard's bad row is found first", async () => {
    const data = csv(5_000, [1_500, 4_500]);
    const spec = SpecRequest.parse({ strategy: 'random', seed: 1, ratios });
    const failed = (e: unknown): Error & { code?: string } => e as Error;
    const whole = await splitDataset(data, { sha256: sha256Hex(data), bytes: data.length }, spec).then(
      () => failed(new Error('no failure')),
      failed,
    );
    const source = memorySource([data]);
    const local = inThreadTasks(source);
    const tasks: ShardTasks = {
      ...local,
      // Every shard at once; lower shards take longer, so the bad row near the end fails first.
      concurrency: 16,
      scan: async (context, shard) => {
        await tick(40 - shard * 4);
        return local.scan(context, shard);
      },
    };
    const sharded = await freezeSharded(
      source,
      { sha256: sha256Hex(data), bytes: data.length },
      spec,
      memorySink(),
      { targetShardBytes: 20_000, tasks },
    ).then(() => failed(new Error('no failure')), failed);
    expect(whole.code).toBe('CSV.RAGGED_ROW');
    expect(whole.message).toContain('1502');
    expect(sharded.code).toBe(whole.code);
    expect(sharded.message).toBe(whole.message);
  });
});
