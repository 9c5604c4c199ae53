/**
 * One LineageStore contract for both backends (lineage-store.*.test.ts). Each case uses its
 * own names, so cases share one store per file without seeing each other's records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineageStore } from '../../functions/core/ports.js';
import { defineAliasConformance } from './alias-conformance.js';
import { defineAuditJobConformance } from './audit-job-conformance.js';
import { defineJobConformance } from './job-conformance.js';
import { audit, dataset, freezeEvent, manifest, minute, sha } from './records.js';

export interface LineageBackend {
  readonly store: LineageStore;
  close(): Promise<void>;
}

/** A handle the case groups share; `store` is set once beforeAll has run. */
export interface StoreRef {
  store: LineageStore;
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

    it('records a dataset once and audits only the first registration', async () => {
      const record = dataset('ds-once');
      const target = `dataset/${record.sha256}`;
      expect(await ref.store.putDataset(record, audit({ target }))).toEqual({ created: true });
      expect(await ref.store.putDataset(record, audit({ target }))).toEqual({ created: false });
      expect(await ref.store.getDataset(record.sha256)).toEqual(record);
      expect((await ref.store.listAudit({ target }, { limit: 10 })).items).toHaveLength(1);
      expect(await ref.store.getDataset(sha('ds-never'))).toBeUndefined();
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
    defineAuditJobConformance(ref);
    defineJobConformance(ref);
  });
}
