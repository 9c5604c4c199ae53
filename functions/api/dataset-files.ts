/**
 * Many-file datasets (docs/SPLIT-SPEC.md §7) at the API: registration, status, and whether a
 * freeze may start. Kept apart from the one-file registration, which it never changes: a
 * dataset record without `files` goes down the one-file path exactly as before.
 */
import type { Context } from 'hono';
import { CreateFilesDatasetRequest } from '../../schemas/dataset-files.js';
import type { DatasetRecord } from '../../schemas/records.js';
import { datasetAddress } from '../core/dataset-files.js';
import { ConflictError } from '../core/errors.js';
import { rehashBlob } from '../jobs/read-blob.js';
import type { AppEnv } from './context.js';
import type { AppDeps } from './deps.js';
import { registerDataset } from './register-dataset.js';
import { readJson } from './request.js';

/** True when a POST /v1/datasets body declares `files` (a body that isn't JSON is not). */
export async function declaresFiles(c: Context<AppEnv>): Promise<boolean> {
  // Hono keeps the parsed body, so the registration that follows reads it again for free.
  const body: unknown = await c.req.json().catch(() => undefined);
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'files' in body;
}

/**
 * Registers a many-file dataset under the address of its file list and hands out one upload
 * per file not yet stored. 201 while a file is missing, 200 once every file is stored.
 */
export async function registerFilesDataset(c: Context<AppEnv>, deps: AppDeps, at: Date): Promise<Response> {
  const body = await readJson(c, CreateFilesDatasetRequest);
  const stored = await Promise.all(body.files.map((file) => storedFile(deps, file.sha256, file.bytes)));
  const sha256 = datasetAddress(body.files);
  const registration = await registerDataset(c, deps, at, {
    sha256,
    bytes: body.files.reduce((sum, file) => sum + file.bytes, 0),
    files: body.files.map((file) => ({
      sha256: file.sha256,
      bytes: file.bytes,
      ...(file.name ? { name: file.name } : {}),
    })),
    name: body.name,
    mediaType: body.mediaType,
  });
  const uploads = [];
  // A file listed twice is uploaded once.
  const asked = new Set<string>();
  for (const [i, file] of body.files.entries()) {
    if (stored[i] || asked.has(file.sha256)) continue;
    asked.add(file.sha256);
    uploads.push({
      sha256: file.sha256,
      upload: await deps.blobs.presignPut(file.sha256, file.bytes, { expiresIn: deps.presignSeconds }),
    });
  }
  const dataset = viewOf(registration, stored);
  if (uploads.length === 0) return c.json({ dataset, uploads }, 200);
  c.header('location', `/v1/datasets/${sha256}`);
  return c.json({ dataset, uploads }, 201);
}

/** GET /v1/datasets/{id} of a many-file dataset: available once every file is stored. */
export async function filesDatasetView(deps: AppDeps, record: DatasetRecord) {
  const files = record.files ?? [];
  const stored = await Promise.all(
    files.map(async (file) => (await deps.blobs.head('dataset', file.sha256)) !== undefined),
  );
  return viewOf(record, stored);
}

/** Whether a freeze may start: the one blob, or every file of a many-file dataset, is stored. */
export async function datasetStored(deps: AppDeps, record: DatasetRecord): Promise<boolean> {
  if (!record.files) return (await deps.blobs.head('dataset', record.sha256)) !== undefined;
  const stored = await Promise.all(record.files.map((file) => deps.blobs.head('dataset', file.sha256)));
  return stored.every((blob) => blob !== undefined);
}

function viewOf(record: DatasetRecord, stored: readonly boolean[]) {
  const files = (record.files ?? []).map((file, i) => ({
    ...file,
    status: stored[i] ? ('available' as const) : ('pending' as const),
  }));
  const status = files.every((file) => file.status === 'available')
    ? ('available' as const)
    : ('pending' as const);
  return { ...record, files, status };
}

/**
 * Whether a file is stored at its declared size. Stored bytes of another size are re-hashed
 * before they are believed, as for one-file datasets: only a blob that hashes to its address
 * may turn the caller away with DATASET.SIZE_MISMATCH.
 */
async function storedFile(deps: AppDeps, sha256: string, bytes: number): Promise<boolean> {
  const stored = await deps.blobs.head('dataset', sha256);
  if (!stored) return false;
  if (stored.bytes === bytes) return true;
  if ((await rehashBlob(deps.blobs, 'dataset', sha256)) !== sha256) return false;
  throw new ConflictError(
    'DATASET.SIZE_MISMATCH',
    `file ${sha256} is stored with ${stored.bytes} bytes, not ${bytes}`,
    {
      details: { sha256, bytes: stored.bytes },
    },
  );
}
