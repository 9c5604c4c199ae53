import { Hono } from 'hono';
import { CreateDatasetRequest, DatasetListQuery, DatasetRefParam, PageQuery } from '../../../schemas/api.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { BlobInfo } from '../../core/ports.js';
import { rehashBlob } from '../../jobs/read-blob.js';
import type { AppEnv } from '../context.js';
import { declaresFiles, filesDatasetView, registerFilesDataset } from '../dataset-files.js';
import type { AppDeps } from '../deps.js';
import { registerDataset } from '../register-dataset.js';
import { readJson, readParams, readQuery } from '../request.js';
import { resolveId } from '../resolve-id.js';

/**
 * Datasets: register an upload, then read its status and the splits made from it. A size is
 * only a claim until bytes are stored: the blob store keeps nothing that doesn't hash to the
 * address at the size its upload URL was signed for. So a registration never locks out
 * another one while nothing is stored (each gets an upload URL for its own size), and once
 * bytes are stored their size is the one a registration must declare.
 */
export function datasetRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = deps.now ?? (() => new Date());
  const confirmed = new ConfirmedBlobs();
  // The registration to show: the latest that declared the stored size, else the latest.
  const shown = async (sha256: string, storedBytes: number | undefined) =>
    (storedBytes === undefined ? undefined : await deps.lineage.getDataset(sha256, { bytes: storedBytes })) ??
    (await deps.lineage.getDataset(sha256));

  return new Hono<AppEnv>()
    .post('/', async (c) => {
      if (await declaresFiles(c)) return registerFilesDataset(c, deps, now());
      const body = await readJson(c, CreateDatasetRequest);
      const stored = await intactDataset(deps, confirmed, body.sha256, body.bytes);
      if (stored && stored.bytes !== body.bytes) {
        throw new ConflictError(
          'DATASET.SIZE_MISMATCH',
          `dataset ${body.sha256} is stored with ${stored.bytes} bytes, not ${body.bytes}`,
        );
      }
      const at = now();
      const registration = await registerDataset(c, deps, at, body);
      if (stored) return c.json({ dataset: { ...registration, status: 'available' as const } }, 200);
      const upload = await deps.blobs.presignPut(body.sha256, body.bytes, { expiresIn: deps.presignSeconds });
      c.header('location', `/v1/datasets/${body.sha256}`);
      return c.json({ dataset: { ...registration, status: 'pending' as const }, upload }, 201);
    })
    .get('/', async (c) => {
      const { limit, cursor, prefix } = readQuery(c, DatasetListQuery);
      const filter = prefix === undefined ? {} : { namePrefix: prefix };
      return c.json(await deps.catalog.listDatasets(filter, { limit, ...(cursor ? { cursor } : {}) }));
    })
    .get('/:sha256', async (c) => {
      const sha256 = await resolveId(deps.catalog, 'dataset', readParams(c, DatasetRefParam).sha256);
      const stored = await deps.blobs.head('dataset', sha256);
      if (!stored) {
        // A many-file dataset's address is never a blob's: its files are.
        const record = await deps.lineage.getDataset(sha256);
        if (record?.files) return c.json(await filesDatasetView(deps, record));
      }
      const dataset = await shown(sha256, stored?.bytes);
      if (!dataset) throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${sha256}`);
      // Stored bytes outrank any claim about their size.
      return c.json(
        stored
          ? { ...dataset, bytes: stored.bytes, status: 'available' as const }
          : { ...dataset, status: 'pending' as const },
      );
    })
    .get('/:sha256/splits', async (c) => {
      const sha256 = await resolveId(deps.catalog, 'dataset', readParams(c, DatasetRefParam).sha256);
      const page = readQuery(c, PageQuery);
      if (!(await deps.lineage.getDataset(sha256))) {
        throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${sha256}`);
      }
      return c.json(await deps.lineage.listManifestsByDataset(sha256, page));
    });
}

/**
 * The stored dataset blob, unless it is known or found to be damaged: then the registration
 * hands out an upload, whose verified bytes replace the damaged file (FsBlobStore repair).
 * Stored bytes of another size than declared are re-hashed before they are believed, since
 * only a blob that hashes to its address may turn the caller away with SIZE_MISMATCH.
 */
async function intactDataset(
  deps: AppDeps,
  confirmed: ConfirmedBlobs,
  sha256: string,
  declared: number,
): Promise<BlobInfo | undefined> {
  const stored = await deps.blobs.head('dataset', sha256);
  if (!stored) return undefined;
  if (await isDamaged(deps, sha256)) return undefined;
  if (stored.bytes === declared || confirmed.has(sha256)) return stored;
  if ((await rehashBlob(deps.blobs, 'dataset', sha256)) !== sha256) return undefined;
  confirmed.add(sha256);
  return stored;
}

/**
 * Dataset blobs this process has re-hashed and found intact. Stored bytes never change (a
 * repair only ever writes the bytes the address names), so one check per blob is enough, and
 * repeating a wrong-size registration can't make the server re-read a large blob each time.
 */
class ConfirmedBlobs {
  static readonly #limit = 1024;
  readonly #seen = new Set<string>();

  has(sha256: string): boolean {
    return this.#seen.has(sha256);
  }

  add(sha256: string): void {
    this.#seen.add(sha256);
    // Oldest first: a Set iterates in insertion order.
    if (this.#seen.size > ConfirmedBlobs.#limit) this.#seen.delete(this.#seen.values().next().value!);
  }
}

async function isDamaged(deps: AppDeps, sha256: string): Promise<boolean> {
  const damaged = (await deps.damage?.listDamaged()) ?? [];
  return damaged.some((blob) => blob.kind === 'dataset' && blob.sha256 === sha256);
}
