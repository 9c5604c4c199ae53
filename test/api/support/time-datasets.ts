import { createHash } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { StoredLeakage } from '../../../functions/adapters/common/stored-leakage.js';
import type { AliasRecord } from '../../../schemas/records.js';
import { freezeSplit, uploadDataset } from './client.js';
import type { DatasetBytes } from './dataset.js';
import { type ApiHarness, embeddedHarness } from './harness.js';

/** Rows t = first … last; the time strategy puts the latest 10 % in test. */
export function timeDataset(first: number, last: number): DatasetBytes {
  const lines = ['t,v'];
  for (let t = first; t <= last; t += 1) lines.push(`${t},row-${t}`);
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rows: last - first + 1 };
}

/** Train, validation and test by ascending t: which rows a manifest tests on is known exactly. */
export const TIME_SPEC = {
  strategy: 'time',
  orderBy: 't',
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: 'csv',
} as const;

/** An embedded app whose alias reads can be interleaved with, and two frozen manifests. */
export interface AliasRace {
  readonly h: ApiHarness;
  /** A: rows 1–10, test = row 10. */
  readonly A: string;
  /** B: rows 1–20, trains on row 10, test = rows 19–20. */
  readonly B: string;
  /** Runs `run` once, right after the next alias read (so an interleaving is exact, not timed). */
  afterNextRead(run: () => Promise<void>): void;
}

async function aliasRace(): Promise<AliasRace> {
  let afterRead: (() => Promise<void>) | undefined;
  const h = await embeddedHarness({
    leakage: (stores) => {
      // The app's lineage store, its alias reads observed (the same object the routes call).
      const lineage = stores.lineage as { getAlias(name: string): Promise<AliasRecord | undefined> };
      const read = lineage.getAlias.bind(lineage);
      lineage.getAlias = async (name) => {
        const alias = await read(name);
        const run = afterRead;
        afterRead = undefined;
        if (run) await run();
        return alias;
      };
      return new StoredLeakage(stores.blobs, stores.lineage);
    },
  });
  const [a, b] = [timeDataset(1, 10), timeDataset(1, 20)];
  for (const data of [a, b]) await uploadDataset(h, data);
  const A = await freezeSplit(h, a.sha256, TIME_SPEC);
  const B = await freezeSplit(h, b.sha256, TIME_SPEC);
  return {
    h,
    A,
    B,
    afterNextRead: (run) => {
      afterRead = run;
    },
  };
}

/**
 * Registers the suite's setup (an AliasRace, in beforeAll) and teardown; the answer's fields
 * are there from beforeAll on, so tests read them, not the suite's body.
 */
export function aliasRaceSuite(): AliasRace {
  let race: AliasRace | undefined;
  beforeAll(async () => {
    race = await aliasRace();
  });
  afterAll(async () => race?.h.close());
  const ready = (): AliasRace => {
    if (!race) throw new Error('the alias race is set up in beforeAll: read it in a test');
    return race;
  };
  return {
    get h() {
      return ready().h;
    },
    get A() {
      return ready().A;
    },
    get B() {
      return ready().B;
    },
    afterNextRead: (run) => ready().afterNextRead(run),
  };
}
