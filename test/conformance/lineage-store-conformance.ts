/**
 * One LineageStore contract for both backends (lineage-store.*.test.ts). Each case uses its
 * own names, so cases share one store per file without seeing each other's records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogStore, LineageStore } from '../../functions/core/ports.js';
import type { DatasetRecord, StoredManifest } from '../../schemas/records.js';
import { defineAliasConformance } from './alias-conformance.js';
import { defineAliasPolicyConformance } from './alias-policy-conformance.js';
import { defineAuditJobConformance } from './audit-job-conformance.js';
import { defineCatalogConformance } from './catalog-conformance.js';
import { defineJobConformance } from './job-conformance.js';
import { audit, dataset, freezeEvent, manifest, minute, sha } from './records.js';

export interface LineageBackend {
  readonly store: LineageStore & CatalogStore;
  /** Writes a dataset the way stores did before registrations were kept (one row per hash). */
  writeLegacyDataset(record: DatasetRecord): Promise<void>;
  /** Writes a manifest the way stores did before artifacts had short ids (no index entries). */
  writeLegacyManifest(manifest: StoredManifest): Promise<void>;
  /** What docs/DEPLOY.md tells an operator to do once after upgrading such a store. */
  upgradeLegacyRecords(): Promise<void>;
  close(): Promise<void>;
}

/** A handle the case groups share; `store` is set once beforeAll has run. */
export interface StoreRef {
  store: LineageStore & CatalogStore;
}

export function defineLineageStoreConformance(name: string, open: () => Promise<LineageBackend>): void {
  describe(`LineageStore conformance: ${name}`, () => {
    let backend: LineageBackend;
    const ref = {} as StoreRef;
    beforeAll(async () => {
      backend = await open();
      ref.store = backend.store;
    });
    afterAll(async () => {
      await backend?.close();
    });

    it('keeps every registration of a dataset with its audit entry, newest first, by declared size too', async () => {
      const sha256 = sha('ds-registrations');
      const target = `dataset/${sha256}`;
      const squat = { sha256, bytes: 1, name: 'squat.csv', createdAt: minute(1), createdBy: 'mallory' };
      const real = {
        sha256,
        bytes: 10,
        name: 'real.csv',
        mediaType: 'text/csv',
        createdAt: minute(2),
        createdBy: 'alice',
      };
      await ref.store.registerDataset(squat, audit({ target, at: minute(1) }));
      await ref.store.registerDataset(real, audit({ target, at: minute(2) }));
      expect(await ref.store.getDataset(sha256)).toEqual(real);
      expect(await ref.store.getDataset(sha256, { bytes: 1 })).toEqual(squat);
      expect(await ref.store.getDataset(sha256, { bytes: 10 })).toEqual(real);
      expect(await ref.store.getDataset(sha256, { bytes: 99 })).toBeUndefined();
      // A later claim shows as the latest, but can't hide the registration of the true size.
      const again = { ...squat, name: 'squat-again.csv', createdAt: minute(3) };
      await ref.store.registerDataset(again, audit({ target, at: minute(3) }));
      expect(await ref.store.getDataset(sha256)).toEqual(again);
      expect(await ref.store.getDataset(sha256, { bytes: 10 })).toEqual(real);
      expect((await ref.store.listAudit({ target }, { limit: 10 })).items).toHaveLength(3);
      expect(await ref.store.getDataset(sha('ds-never'))).toBeUndefined();
      expect(await ref.store.getDataset(sha('ds-never'), { bytes: 10 })).toBeUndefined();
    });

    it('finds the registration of a size behind more than a page of newer claims of another size', async () => {
      const sha256 = sha('ds-many-claims');
      const target = `dataset/${sha256}`;
      const real = { sha256, bytes: 500, createdAt: minute(1), createdBy: 'alice' };
      await ref.store.registerDataset(real, audit({ target }));
      for (let i = 0; i < 120; i++) {
        const claim = {
          sha256,
          bytes: 1,
          createdAt: new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString(),
          createdBy: 'mallory',
        };
        await ref.store.registerDataset(claim, audit({ target }));
      }
      expect(await ref.store.getDataset(sha256, { bytes: 500 })).toEqual(real);
      expect((await ref.store.getDataset(sha256))?.createdBy).toBe('mallory');
    }, 60_000);

    it('keeps registrations of the same dataset at the same instant apart', async () => {
      const record = dataset('ds-same-instant');
      const target = `dataset/${record.sha256}`;
      await ref.store.registerDataset(record, audit({ target, at: record.createdAt }));
      await ref.store.registerDataset(
        { ...record, name: 'other.csv' },
        audit({ target, at: record.createdAt }),
      );
      expect((await ref.store.listAudit({ target }, { limit: 10 })).items).toHaveLength(2);
      expect([record.name, 'other.csv']).toContain((await ref.store.getDataset(record.sha256))?.name);
    });

    it('refuses a registration whose audit id was used before and records nothing for it', async () => {
      const record = dataset('ds-dup-audit');
      const entry = audit({ target: `dataset/${record.sha256}` });
      await ref.store.registerDataset(record, entry);
      await expect(ref.store.registerDataset({ ...record, bytes: 99 }, entry)).rejects.toMatchObject({
        code: 'AUDIT.DUPLICATE',
      });
      expect(await ref.store.getDataset(record.sha256, { bytes: 99 })).toBeUndefined();
    });

    it('still reads a dataset recorded before registrations were kept, and prefers any registration', async () => {
      const legacy = dataset('ds-legacy');
      await backend.writeLegacyDataset(legacy);
      expect(await ref.store.getDataset(legacy.sha256)).toEqual(legacy);
      expect(await ref.store.getDataset(legacy.sha256, { bytes: legacy.bytes })).toEqual(legacy);
      expect(await ref.store.getDataset(legacy.sha256, { bytes: legacy.bytes + 1 })).toBeUndefined();
      const later = { ...legacy, bytes: legacy.bytes + 1, name: 'later.csv', createdAt: minute(9) };
      await ref.store.registerDataset(later, audit({ target: `dataset/${legacy.sha256}` }));
      expect(await ref.store.getDataset(legacy.sha256)).toEqual(later);
      expect(await ref.store.getDataset(legacy.sha256, { bytes: legacy.bytes })).toEqual(legacy);
    });

    it('finds the artifacts of a manifest recorded before artifact short ids, once upgraded as documented', async () => {
      const legacy = manifest('m-legacy-artifacts', 'ds-legacy-artifacts');
      await backend.writeLegacyManifest(legacy);
      await backend.upgradeLegacyRecords();
      for (const { sha256 } of Object.values(legacy.splits)) {
        expect(await ref.store.findIds('artifact', sha256.slice(0, 8), 10)).toEqual([sha256]);
      }
    });

    it('records a manifest with its event, dataset edge, parents and audit in one step', async () => {
      const parent = manifest('m-parent', 'ds-lineage');
      const child = manifest('m-child', 'ds-lineage');
      await ref.store.putManifest(parent, freezeEvent(parent.id, minute(1), 'r1'), [], audit());
      const first = await ref.store.putManifest(
        child,
        freezeEvent(child.id, minute(2), 'r2'),
        [parent.id],
        audit(),
      );
      expect(first).toEqual({ created: true });
      expect(await ref.store.getManifest(child.id)).toEqual(child);
      expect(await ref.store.listParents(child.id)).toEqual([parent.id]);
      expect(await ref.store.listChildren(parent.id)).toEqual([child.id]);
      expect(await ref.store.listFreezeEvents(child.id)).toEqual([freezeEvent(child.id, minute(2), 'r2')]);
      const byDataset = await ref.store.listManifestsByDataset(sha('ds-lineage'), { limit: 10 });
      expect(byDataset.items).toEqual([parent.id, child.id].sort());
      expect(byDataset.cursor).toBeUndefined();
    });

    it('adds only a freeze event and an audit entry when a manifest is frozen again', async () => {
      const m = manifest('m-refrozen', 'ds-refrozen');
      const target = `manifest/${m.id}`;
      await ref.store.putManifest(m, freezeEvent(m.id, minute(5), 'first'), [], audit({ target }));
      const again = await ref.store.putManifest(
        m,
        freezeEvent(m.id, '2026-01-01T02:06:00+02:00', 'second'),
        [sha('ignored-parent')],
        audit({ target }),
      );
      expect(again).toEqual({ created: false });
      expect((await ref.store.listFreezeEvents(m.id)).map((event) => event.requestId)).toEqual([
        'first',
        'second',
      ]);
      expect(await ref.store.listParents(m.id)).toEqual([]);
      expect((await ref.store.listAudit({ target }, { limit: 10 })).items).toHaveLength(2);
    });

    it('refuses a manifest with more parents than one transaction can hold, writing nothing', async () => {
      const m = manifest('m-too-many');
      const parents = Array.from({ length: 94 }, (_, i) => sha(`parent-${i}`));
      await expect(
        ref.store.putManifest(m, freezeEvent(m.id, minute(1), 'r'), parents, audit()),
      ).rejects.toMatchObject({ name: 'ValidationError', code: 'LINEAGE.TOO_MANY_PARENTS' });
      expect(await ref.store.getManifest(m.id)).toBeUndefined();
    });

    it('pages the manifests of a dataset with cursors and ends without one', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const m = manifest(`m-page-${i}`, 'ds-paged');
        ids.push(m.id);
        await ref.store.putManifest(m, freezeEvent(m.id, minute(i), `p${i}`), [], audit());
      }
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await ref.store.listManifestsByDataset(sha('ds-paged'), { limit: 2, cursor });
        seen.push(...page.items);
        sizes.push(page.items.length);
        cursor = page.cursor;
      } while (cursor !== undefined);
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(ids.sort());
    });

    it.each([
      ['a garbled cursor', { limit: 2, cursor: 'not-a-cursor' }, 'PAGE.INVALID_CURSOR'],
      ['a zero limit', { limit: 0 }, 'PAGE.INVALID_LIMIT'],
      ['a fractional limit', { limit: 1.5 }, 'PAGE.INVALID_LIMIT'],
    ])('refuses %s with a validation error', async (_label, page, code) => {
      await expect(ref.store.listManifestsByDataset(sha('ds-paged'), page)).rejects.toMatchObject({
        name: 'ValidationError',
        code,
      });
    });

    defineAliasConformance(ref);
    defineAliasPolicyConformance(ref);
    defineAuditJobConformance(ref);
    defineJobConformance(ref);
    defineCatalogConformance(ref);
  });
}
