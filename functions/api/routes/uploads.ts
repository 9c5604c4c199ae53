import { Hono } from 'hono';
import { CreateUploadRequest, PartUrlsRequest, UploadIdParam } from '../../../schemas/uploads.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { partSize, planPartBytes } from '../../core/upload/part-plan.js';
import type { MultipartStore, UploadPlan } from '../../core/upload/ports.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { registerDataset } from '../register-dataset.js';
import { readJson, readParams } from '../request.js';

/**
 * Multipart uploads, for datasets beyond one presigned PUT: register and plan the parts, hand
 * out a URL per part (signing the part's SHA-256, which the store checks), then complete,
 * which publishes the dataset only if the assembled file hashes to its address.
 */
export function uploadRoutes(deps: AppDeps, store: MultipartStore): Hono<AppEnv> {
  const now = deps.now ?? (() => new Date());
  const find = async (id: string): Promise<UploadPlan> => {
    const plan = await store.get(id);
    if (!plan)
      throw new NotFoundError(
        'UPLOAD.NOT_FOUND',
        `no upload ${id} in progress (completed, aborted or expired)`,
      );
    return plan;
  };

  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const body = await readJson(c, CreateUploadRequest);
      // A stored file found damaged counts as absent: the upload's verified bytes repair it.
      const damaged = (await deps.damage?.listDamaged())?.some(
        (blob) => blob.kind === 'dataset' && blob.sha256 === body.sha256,
      );
      const stored = damaged ? undefined : await deps.blobs.head('dataset', body.sha256);
      if (stored && stored.bytes !== body.bytes) {
        throw new ConflictError(
          'DATASET.SIZE_MISMATCH',
          `dataset ${body.sha256} is stored with ${stored.bytes} bytes, not ${body.bytes}`,
        );
      }
      const at = now();
      const registration = await registerDataset(c, deps, at, {
        sha256: body.sha256,
        bytes: body.bytes,
        name: body.name,
        mediaType: body.mediaType,
        multipart: true,
      });
      if (stored) return c.json({ dataset: { ...registration, status: 'available' as const } }, 200);
      const upload = await store.start(body.sha256, body.bytes, planPartBytes(body.bytes, body.partBytes));
      c.header('location', `/v1/uploads/${upload.id}`);
      return c.json({ dataset: { ...registration, status: 'pending' as const }, upload }, 201);
    })
    .get('/:id', async (c) => {
      const plan = await find(readParams(c, UploadIdParam).id);
      return c.json({ upload: plan, parts: await store.listParts(plan) });
    })
    .post('/:id/parts', async (c) => {
      const plan = await find(readParams(c, UploadIdParam).id);
      const body = await readJson(c, PartUrlsRequest);
      const parts = [];
      for (const part of body.parts) {
        const signed = await store.presignPart(plan, part.number, part.sha256, {
          expiresIn: deps.presignSeconds,
        });
        parts.push({
          ...signed,
          number: part.number,
          bytes: partSize(plan.bytes, plan.partBytes, part.number),
        });
      }
      return c.json({ parts });
    })
    .post('/:id/complete', async (c) => {
      const plan = await find(readParams(c, UploadIdParam).id);
      const { created, repaired } = await store.complete(plan);
      const dataset = await deps.lineage.getDataset(plan.sha256, { bytes: plan.bytes });
      const view = dataset ?? {
        sha256: plan.sha256,
        bytes: plan.bytes,
        createdAt: plan.createdAt,
        createdBy: c.get('identity').actor,
      };
      return c.json({ dataset: { ...view, status: 'available' as const } }, created || repaired ? 201 : 200);
    })
    .delete('/:id', async (c) => {
      await store.abort(readParams(c, UploadIdParam).id);
      return c.body(null, 204);
    });
}
