/**
 * A freeze past the worker's memory budget runs in shards (functions/jobs/freeze-sharded.ts):
 * the same manifest and split files as the one-process engine, on both backends, with the split
 * files streamed through scratch disk that is emptied afterwards, and a damaged dataset refused
 * before any shard is read.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch } from '../../functions/adapters/local/fs-scratch.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest } from '../../schemas/spec.js';
import { call } from './support/call.js';
import { BACKENDS, createHarness, type Harness } from './support/harness.js';
import { csv, datasetOf, freezeAnswer, upload } from './support/seed.js';

const ratios = { train: 0.7, validation: 0.15, test: 0.15 };
const SPECS = [
  { strategy: 'random', seed: 3, ratios },
  { strategy: 'random', seed: 3, ratios, shuffle: true },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
];

describe.each(BACKENDS)('a sharded freeze on the %s backend', (backend) => {
  let h: Harness;
  let scratchRoot: string;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  let created = 0;
  beforeAll(async () => {
    scratchRoot = await mkdtemp(join(tmpdir(), 'splitvault-scratch-'));
    scratch = await openScratch(scratchRoot);
    // A budget far below the datasets' sizes (the sharded path starts at a quarter of it, 64 KiB),
    // and a scratch space that counts its files: each sharded freeze makes one per split.
    const counting = {
      create: (name: string) => {
        created += 1;
        return scratch.create(name);
      },
    };
    h = await createHarness(backend, { sharding: { workerMemory: 256 * 1024, scratch: counting } });
  });
  afterAll(async () => {
    await h?.close();
    await scratch?.dispose();
    await rm(scratchRoot, { recursive: true, force: true });
  });

  it.each(SPECS)(
    'records the one-process manifest and split files for %o and leaves no scratch file',
    async (spec) => {
      // Past the sharded threshold (64 KiB), and a train split within what a shuffled split may hold.
      const data = csv(12_000, 5);
      expect(data.bytes.byteLength).toBeGreaterThan(64 * 1024);
      await upload(h, data);
      const before = created;
      const answer = await freezeAnswer(h, data.sha256, spec);
      expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
      const expected = await splitDataset(
        data.bytes,
        { sha256: data.sha256, bytes: data.bytes.byteLength },
        SpecRequest.parse(spec),
      );
      expect(answer.json.manifest.id).toBe(expected.manifest.id);
      expect(created - before).toBe(3);
      for (const split of ['train', 'validation', 'test'] as const) {
        const chunks: Uint8Array[] = [];
        for await (const chunk of await h.raw.blobs.open(
          'artifact',
          expected.manifest.splits[split].sha256,
        )) {
          chunks.push(chunk);
        }
        expect(sha256Hex(Buffer.concat(chunks))).toBe(expected.manifest.splits[split].sha256);
      }
      const [space] = await readdir(scratchRoot);
      expect(await readdir(join(scratchRoot, space!))).toEqual([]);
    },
  );

  it('fails a freeze whose dataset bytes do not parse with the engine code and leaves no scratch file', async () => {
    // Past the sharded threshold, with the fault in its last row.
    const rows = Array.from({ length: 12_000 }, (_, i) => `${i},${i * 7}`).join('\n');
    const data = datasetOf(new TextEncoder().encode(`a,b\n${rows}\n1,"unterminated\n`));
    const before = created;
    await upload(h, data);
    const answer = await freezeAnswer(h, data.sha256, { strategy: 'random', seed: 1, ratios });
    const job = answer.json.job ?? answer.json;
    const final = job.status === 'failed' ? job : (await call(h, 'GET', `/v1/jobs/${job.id}`)).json;
    expect(final.error?.code ?? answer.json.code).toBe('CSV.UNTERMINATED_QUOTE');
    expect(created - before).toBe(3);
    const [space] = await readdir(scratchRoot);
    expect(await readdir(join(scratchRoot, space!))).toEqual([]);
  });
});
