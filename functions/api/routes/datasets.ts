import { Hono } from 'hono';
import { CreateDatasetRequest, PageQuery, Sha256Param } from '../../../schemas/api.js';
import type { DatasetRecord } from '../../../schemas/records.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { auditEntry } from '../audit-entry.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { readJson, readParams, readQuery } from '../request.js';

/** Datasets: register an upload, then read its status and the splits made from it. */
export function datasetRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = deps.now ?? (() => new Date());
  const status = async (sha256: string) =>
    (await deps.blobs.head('dataset', sha256)) ? ('available' as const) : ('pending' as const);

  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const body = await readJson(c, CreateDatasetRequest);
      const at = now();
      const record: DatasetRecord = {
        sha256: body.sha256,
        bytes: body.bytes,
        ...(body.name ? { name: body.name } : {}),
        ...(body.mediaType ? { mediaType: body.mediaType } : {}),
        createdAt: at.toISOString(),
        createdBy: c.get('identity').actor,
      };
      const audit = auditEntry(c, at, {
        action: 'dataset.register',
        target: `dataset:${body.sha256}`,
        details: { bytes: body.bytes, ...(body.name ? { name: body.name } : {}) },
      });
      await deps.lineage.putDataset(record, audit);
      const dataset = (await deps.lineage.getDataset(body.sha256)) ?? record;
      if (dataset.bytes !== body.bytes) {
        throw new ConflictError(
          'DATASET.SIZE_MISMATCH',
          `dataset ${body.sha256} is registered with ${dataset.bytes} bytes, not ${body.bytes}`,
        );
      }
      // A blob of another size at this address, or one a read found damaged, is not "already
      // stored": hand out an upload, whose verified bytes will replace it (FsBlobStore repair).
      if (
        (await deps.blobs.head('dataset', body.sha256))?.bytes === dataset.bytes &&
        !(await isDamaged(deps, body.sha256))
      ) {
        return c.json({ dataset: { ...dataset, status: 'available' as const } }, 200);
      }
      const upload = await deps.blobs.presignPut(body.sha256, dataset.bytes, {
        expiresIn: deps.presignSeconds,
      });
      c.header('location', `/v1/datasets/${body.sha256}`);
      return c.json({ dataset: { ...dataset, status: 'pending' as const }, upload }, 201);
    })
    .get('/:sha256', async (c) => {
      const { sha256 } = readParams(c, Sha256Param);
      const dataset = await deps.lineage.getDataset(sha256);
      if (!dataset) throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${sha256}`);
      return c.json({ ...dataset, status: await status(sha256) });
    })
    .get('/:sha256/splits', async (c) => {
      const { sha256 } = readParams(c, Sha256Param);
      const page = readQuery(c, PageQuery);
      if (!(await deps.lineage.getDataset(sha256))) {
        throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${sha256}`);
      }
      return c.json(await deps.lineage.listManifestsByDataset(sha256, page));
    });
}

async function isDamaged(deps: AppDeps, sha256: string): Promise<boolean> {
  const damaged = (await deps.damage?.listDamaged()) ?? [];
  return damaged.some((blob) => blob.kind === 'dataset' && blob.sha256 === sha256);
}
