/**
 * The catalog contract (CatalogStore) for both backends. Cases share the store with the other
 * lineage cases, so every listing here is narrowed by names, datasets or actors of its own.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogStore, LineageStore, Page, PageRequest } from '../../functions/core/ports.js';
import type { StoredManifest } from '../../schemas/records.js';
import { audit, freezeEvent, manifest, minute, sha } from './records.js';

async function everyPage<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, ...(cursor ? { cursor } : {}) });
    pages.push([...page.items]);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return pages;
}

export function defineCatalogConformance(ref: { store: LineageStore & CatalogStore }): void {
  describe('catalog', () => {
    it('lists each dataset once, at its latest registration, newest first, filtered by name prefix', async () => {
      const register = async (label: string, name: string, at: number) => {
        const record = { sha256: sha(label), bytes: 10, name, createdAt: minute(at), createdBy: 'carol' };
        await ref.store.registerDataset(record, audit({ target: `dataset/${record.sha256}` }));
        return record;
      };
      const a = await register('cat-a', 'catalog-a.csv', 10);
      await register('cat-b', 'catalog-b.csv', 11);
      const c = await register('cat-c', 'catalog-c.csv', 12);
      const renamed = await register('cat-b', 'catalog-b2.csv', 13);
      await register('cat-other', 'elsewhere.csv', 14);

      const pages = await everyPage((page) => ref.store.listDatasets({ namePrefix: 'catalog-' }, page), 2);

      expect(pages.map((page) => page.length)).toEqual([2, 1]);
      expect(pages.flat()).toEqual([renamed, c, a]);
    });

    it('lists manifests newest first with the version label of their first freeze, by every filter', async () => {
      const frozen: StoredManifest[] = [];
      const freeze = async (label: string, at: number, by: string, version?: string) => {
        const m = { ...manifest(label, 'cat-splits-data'), createdAt: minute(at), createdBy: by };
        const event = {
          ...freezeEvent(m.id, minute(at), `req-${label}`),
          ...(version ? { provenance: { version } } : {}),
        };
        await ref.store.putManifest(m, event, [], audit({ action: 'split.freeze' }));
        frozen.push(m);
        return m;
      };
      const m1 = await freeze('cat-m1', 20, 'dora', 'v1');
      const m2 = await freeze('cat-m2', 21, 'erin', 'v2');
      const m3 = await freeze('cat-m3', 22, 'dora');
      // A later freeze of m1 with another label changes neither its place nor its label.
      await ref.store.putManifest(
        m1,
        { ...freezeEvent(m1.id, minute(23), 'req-again'), provenance: { version: 'v9' } },
        [],
        audit({ action: 'split.freeze' }),
      );
      const dataset = sha('cat-splits-data');
      const list = async (filter: Parameters<CatalogStore['listSplits']>[0]) =>
        (await everyPage((page) => ref.store.listSplits({ dataset, ...filter }, page), 2)).flat();

      expect(await list({})).toEqual([
        { manifest: m3 },
        { manifest: m2, version: 'v2' },
        { manifest: m1, version: 'v1' },
      ]);
      expect((await list({ version: 'v1' })).map((s) => s.manifest.id)).toEqual([m1.id]);
      expect((await list({ version: 'v9' })).map((s) => s.manifest.id)).toEqual([]);
      expect((await list({ createdBy: 'dora' })).map((s) => s.manifest.id)).toEqual([m3.id, m1.id]);
      expect((await list({ from: minute(21), to: minute(22) })).map((s) => s.manifest.id)).toEqual([
        m3.id,
        m2.id,
      ]);
      expect((await list({ from: minute(22) })).map((s) => s.manifest.id)).toEqual([m3.id]);
      expect((await list({ to: '2026-01-01T01:20:59+01:00' })).map((s) => s.manifest.id)).toEqual([m1.id]);
      expect(await ref.store.listSplits({ dataset: sha('cat-nothing') }, { limit: 5 })).toEqual({
        items: [],
      });
    });

    it('finds manifests and datasets by an id prefix, every candidate of an ambiguous one, once each', async () => {
      const shared = `c0ffee${'0'.repeat(10)}`;
      const one = { ...manifest('cat-short-1', 'cat-short-data'), id: `${shared}${'1'.repeat(48)}` };
      const two = { ...manifest('cat-short-2', 'cat-short-data'), id: `${shared}${'2'.repeat(48)}` };
      for (const m of [one, two]) {
        await ref.store.putManifest(m, freezeEvent(m.id, minute(30), `req-${m.id}`), [], audit());
        // A second freeze of the same manifest must not make it a second candidate.
        await ref.store.putManifest(m, freezeEvent(m.id, minute(31), `again-${m.id}`), [], audit());
      }
      expect(await ref.store.findIds('manifest', shared, 10)).toEqual([one.id, two.id]);
      expect(await ref.store.findIds('manifest', shared, 1)).toEqual([one.id]);
      expect(await ref.store.findIds('manifest', `${shared}2`, 10)).toEqual([two.id]);
      expect(await ref.store.findIds('manifest', one.id, 10)).toEqual([one.id]);
      expect(await ref.store.findIds('manifest', 'c0ffee01', 10)).toEqual([]);
      const data = {
        sha256: `${shared}${'3'.repeat(48)}`,
        bytes: 5,
        createdAt: minute(32),
        createdBy: 'carol',
      };
      await ref.store.registerDataset(data, audit({ target: `dataset/${data.sha256}` }));
      await ref.store.registerDataset(
        { ...data, createdAt: minute(33) },
        audit({ target: `dataset/${data.sha256}` }),
      );
      expect(await ref.store.findIds('dataset', shared, 10)).toEqual([data.sha256]);
      expect(await ref.store.findIds('manifest', `${shared}3`, 10)).toEqual([]);
    });

    it('finds split artifacts by an id prefix, each once however many manifests list it', async () => {
      const shared = `a2700fac${'0'.repeat(8)}`;
      const artifact = (digit: string) => ({ sha256: `${shared}${digit.repeat(48)}`, bytes: 100, rows: 10 });
      const first = manifest('cat-art-1', 'cat-art-data');
      const one = { ...first, splits: { ...first.splits, train: artifact('1') } };
      const second = manifest('cat-art-2', 'cat-art-data');
      const two = { ...second, splits: { ...second.splits, train: artifact('1'), test: artifact('2') } };
      for (const m of [one, two]) {
        await ref.store.putManifest(m, freezeEvent(m.id, minute(40), `req-${m.id}`), [], audit());
        // A second freeze indexes the same artifacts again and must not add candidates.
        await ref.store.putManifest(m, freezeEvent(m.id, minute(41), `again-${m.id}`), [], audit());
      }
      const [a1, a2] = [artifact('1').sha256, artifact('2').sha256];
      expect(await ref.store.findIds('artifact', shared, 10)).toEqual([a1, a2]);
      expect(await ref.store.findIds('artifact', shared, 1)).toEqual([a1]);
      expect(await ref.store.findIds('artifact', `${shared}2`, 10)).toEqual([a2]);
      expect(await ref.store.findIds('artifact', a1, 10)).toEqual([a1]);
      const validation = one.splits.validation.sha256;
      expect(await ref.store.findIds('artifact', validation.slice(0, 8), 10)).toEqual([validation]);
      // Artifacts, manifests and datasets are separate kinds: no id crosses over.
      expect(await ref.store.findIds('artifact', one.id.slice(0, 8), 10)).toEqual([]);
      expect(await ref.store.findIds('manifest', shared, 10)).toEqual([]);
      expect(await ref.store.findIds('artifact', 'a2700fab', 10)).toEqual([]);
    });

    it('refuses a cursor of one catalog listing on the other', async () => {
      const page = await ref.store.listDatasets({ namePrefix: 'catalog-' }, { limit: 1 });
      expect(page.cursor).toBeDefined();
      await expect(ref.store.listSplits({}, { limit: 1, cursor: page.cursor! })).rejects.toMatchObject({
        code: 'PAGE.INVALID_CURSOR',
      });
    });
  });
}
