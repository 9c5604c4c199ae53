import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../functions/adapters/common/stored-leakage.js';
import { sha256Hex } from '../../functions/core/hash.js';
import type { BlobStore, LineageStore } from '../../functions/core/ports.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { freeze } from '../../functions/jobs/freeze.js';
import { FreezeJobInput } from '../../functions/jobs/job-input.js';
import { SpecRequest } from '../../schemas/spec.js';
import { PLANTED_PAIRS, PLANTED_SPEC, PLANTED_SPLITS, plantedCsv } from '../fixtures/planted-duplicates.js';
import { audit, freezeEvent, minute } from './records.js';

export interface LeakageStores {
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  close(): Promise<void>;
}

const service = { version: 'conformance' };
const context = { jobId: 'job-leakage', actor: 'alice' };

/** Stores the planted dataset with a constant column `variant` after it, so each case has its own bytes. */
async function stage(stores: LeakageStores, variant: string) {
  const text = plantedCsv().replace(/\n/g, `,${variant}\n`);
  const bytes = new TextEncoder().encode(text);
  const sha256 = sha256Hex(bytes);
  await stores.blobs.put('dataset', sha256, bytes, bytes.length);
  await stores.lineage.registerDataset(
    { sha256, bytes: bytes.length, createdAt: minute(0), createdBy: 'alice' },
    audit({ target: `dataset:${sha256}` }),
  );
  return { bytes, sha256 };
}

const input = (dataset: string, spec: object) =>
  FreezeJobInput.parse({
    dataset,
    spec: { ...PLANTED_SPEC, format: 'csv', ...spec },
    requestId: `r-${Math.random()}`,
  });

/**
 * What a freeze stores for the leakage guard and reads back through StoredLeakage, the same on
 * every backend: the report, its link on the manifest record, and the identity sets.
 */
export function defineLeakageConformance(name: string, make: () => Promise<LeakageStores>): void {
  describe(`leakage storage (${name})`, () => {
    let stores: LeakageStores;
    let reader: StoredLeakage;
    beforeAll(async () => {
      stores = await make();
      reader = new StoredLeakage(stores.blobs, stores.lineage);
    });
    afterAll(async () => stores?.close());

    it('stores the report of a freeze with planted duplicates and reads exactly the planted pairs back', async () => {
      const data = await stage(stores, 'a');
      const { manifestId } = await freeze(
        { blobs: stores.blobs, lineage: stores.lineage, service },
        input(data.sha256, {}),
        context,
      );
      const found = await reader.report(manifestId);
      expect(found?.report.manifestId).toBe(manifestId);
      expect(found?.report.pairs.map((p) => ({ ...p, examples: p.examples.map((e) => e.rows) }))).toEqual(
        PLANTED_PAIRS,
      );
      expect((await stores.lineage.getManifest(manifestId))?.leakageReport).toBe(found?.sha256);
      for (const split of ['train', 'validation', 'test'] as const) {
        const ids = await reader.splitIdentities(manifestId, split);
        expect(ids).toMatchObject({
          rows: PLANTED_SPLITS[split].rows,
          distinct: PLANTED_SPLITS[split].distinct,
        });
        const set = await reader.identitySet(ids!.identities);
        expect(set.length).toBe(ids!.distinct * 32);
        expect(sha256Hex(set)).toBe(ids!.identities);
      }
    });

    it('refuses dedupe "refuse" before writing a split file, an identity set or a record', async () => {
      const data = await stage(stores, 'b');
      const run = freeze(
        { blobs: stores.blobs, lineage: stores.lineage, service },
        input(data.sha256, { dedupe: 'refuse' }),
        context,
      );
      await expect(run).rejects.toMatchObject({ code: 'SPEC.CROSS_SPLIT_DUPLICATES' });
      const spec = SpecRequest.parse({ ...PLANTED_SPEC, format: 'csv' });
      const built = await splitDataset(data.bytes, { sha256: data.sha256, bytes: data.bytes.length }, spec);
      for (const split of ['train', 'validation', 'test'] as const) {
        expect(await stores.blobs.head('artifact', built.manifest.splits[split].sha256)).toBeUndefined();
        expect(await stores.blobs.head('identities', built.leakage!.sets[split].sha256)).toBeUndefined();
      }
      expect(await stores.blobs.head('leakage', built.leakage!.sha256)).toBeUndefined();
      expect((await stores.lineage.listManifestsByDataset(data.sha256, { limit: 10 })).items).toEqual([]);
    });

    it('finds the report of a manifest recorded before the leakage guard through its latest freeze event', async () => {
      const data = await stage(stores, 'c');
      const spec = SpecRequest.parse({ ...PLANTED_SPEC, format: 'csv' });
      const { manifest } = await splitDataset(
        data.bytes,
        { sha256: data.sha256, bytes: data.bytes.length },
        spec,
      );
      // As an older version recorded it: no leakageReport on the record or the event.
      await stores.lineage.putManifest(
        { ...manifest, createdAt: minute(1), createdBy: 'alice' },
        freezeEvent(manifest.id, minute(1), 'old-freeze'),
        [],
        audit({ action: 'split.freeze', target: `split:${manifest.id}` }),
      );
      expect(await reader.report(manifest.id)).toBeUndefined();
      const again = await freeze(
        { blobs: stores.blobs, lineage: stores.lineage, service },
        input(data.sha256, {}),
        context,
      );
      expect(again).toEqual({ manifestId: manifest.id, created: false });
      expect((await reader.report(manifest.id))?.report.pairs[1]?.sharedIdentities).toBe(3);
    });

    it('answers undefined for a manifest frozen with dedupe "none", and for an unknown one', async () => {
      const data = await stage(stores, 'd');
      const { manifestId } = await freeze(
        { blobs: stores.blobs, lineage: stores.lineage, service },
        input(data.sha256, { dedupe: 'none' }),
        context,
      );
      expect(await reader.report(manifestId)).toBeUndefined();
      expect(await reader.splitIdentities(manifestId, 'train')).toBeUndefined();
      expect(await reader.report('0'.repeat(64))).toBeUndefined();
    });
  });
}
