import { Hono } from 'hono';
import {
  FreezeQuery,
  FreezeRequest,
  IdParam,
  LineageQuery,
  SplitListQuery,
  SplitParam,
} from '../../../schemas/api.js';
import { AliasName } from '../../../schemas/common.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import type { LineageStore } from '../../core/ports.js';
import { aliasTargets } from '../alias-targets.js';
import type { AppEnv } from '../context.js';
import { datasetStored } from '../dataset-files.js';
import type { AppDeps } from '../deps.js';
import { downloadQuery, respondWithDownload } from '../download.js';
import { walkLineage } from '../lineage-walk.js';
import { problemResponse } from '../problem.js';
import { readJson, readParams, readQuery } from '../request.js';
import { resolveManifestRef } from '../resolve-id.js';
import { splitSummaries } from '../split-summaries.js';
import { submitJob, waitForJob } from '../submit-job.js';

/** Freeze, read, download, verify and trace split manifests. */
export function splitRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const body = await readJson(c, FreezeRequest);
      const { wait } = readQuery(c, FreezeQuery);
      const dataset = await deps.lineage.getDataset(body.dataset);
      if (!dataset) throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${body.dataset}`);
      if (!(await datasetStored(deps, dataset))) {
        throw new ConflictError('DATASET.NOT_AVAILABLE', `dataset ${body.dataset} has not been uploaded yet`);
      }
      for (const parent of body.provenance?.parents ?? []) {
        if (!(await deps.lineage.getManifest(parent))) {
          throw new NotFoundError(
            'PROVENANCE.UNKNOWN_PARENT',
            `provenance parent ${parent} is not a known split`,
          );
        }
      }
      // An alias or short id is resolved now: the job (and the manifest) record the full id.
      const sticky = body.stickyTo && (await resolveStickyParent(deps, body.stickyTo));
      const by = body.stickyBy;
      if (sticky && by !== undefined && !sticky.dataset.schema.some((f) => f.name === by)) {
        throw new ValidationError(
          'STICKY.UNKNOWN_COLUMN',
          `stickyBy names column "${by}", which the sticky parent lacks`,
          {
            details: { column: by, side: 'parent' },
          },
        );
      }
      const input = sticky ? { ...body, stickyTo: sticky.id } : body;
      const job = await submitJob(c, deps, 'freeze', input, { datasetBytes: dataset.bytes });
      const latest = wait ? await waitForJob(deps, job, wait) : job;
      if (latest.state === 'succeeded' && latest.manifestId) {
        const manifest = await deps.lineage.getManifest(latest.manifestId);
        c.header('location', `/v1/splits/${latest.manifestId}`);
        const created = latest.result?.created !== false;
        return c.json({ job: latest, manifest }, created ? 201 : 200);
      }
      c.header('location', `/v1/jobs/${job.id}`);
      // A caller who waited gets the failure as the answer, not a 202 to poll.
      if (latest.state === 'failed' && latest.problem) return problemResponse(c, latest.problem);
      return c.json({ job: latest }, 202);
    })
    .get('/', async (c) => {
      const { limit, cursor, alias, ...filter } = readQuery(c, SplitListQuery);
      const page = alias
        ? { items: await aliasTargets(deps.lineage, alias, filter) }
        : await deps.catalog.listSplits(filter, { limit, ...(cursor ? { cursor } : {}) });
      const items = await splitSummaries(deps.lineage, page.items);
      return c.json(page.cursor ? { items, cursor: page.cursor } : { items });
    })
    .get('/:id', async (c) => {
      const id = await resolveManifestRef(deps, readParams(c, IdParam).id);
      const manifest = await mustGetManifest(deps.lineage, id);
      return c.json({ manifest, freezeEvents: await deps.lineage.listFreezeEvents(id) });
    })
    .get('/:id/lineage', async (c) => {
      const id = await resolveManifestRef(deps, readParams(c, IdParam).id);
      const { depth } = readQuery(c, LineageQuery);
      const manifest = await mustGetManifest(deps.lineage, id);
      const [ancestors, descendants] = await Promise.all([
        walkLineage(id, depth, (m) => deps.lineage.listParents(m)),
        walkLineage(id, depth, (m) => deps.lineage.listChildren(m)),
      ]);
      return c.json({ manifestId: id, dataset: manifest.dataset.sha256, ancestors, descendants });
    })
    .post('/:id/verify', async (c) => {
      const id = await resolveManifestRef(deps, readParams(c, IdParam).id);
      await mustGetManifest(deps.lineage, id);
      const { wait } = readQuery(c, FreezeQuery);
      const job = await submitJob(c, deps, 'verify', { manifestId: id });
      const latest = wait ? await waitForJob(deps, job, wait) : job;
      c.header('location', `/v1/jobs/${job.id}`);
      return c.json({ job: latest }, latest.state === 'succeeded' || latest.state === 'failed' ? 200 : 202);
    })
    .get('/:id/leakage', async (c) => {
      const id = await resolveManifestRef(deps, readParams(c, IdParam).id);
      await mustGetManifest(deps.lineage, id);
      const found = await deps.leakage.report(id);
      if (!found) {
        throw new NotFoundError('LEAKAGE.NOT_RECORDED', `split ${id} was frozen without a leakage report`);
      }
      // The stored bytes as they are, so a client can check them against the address.
      c.header('etag', `"${found.sha256}"`);
      return c.body(found.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' });
    })
    .get('/:id/:split', async (c) => {
      const params = readParams(c, SplitParam);
      const { split } = params;
      const id = await resolveManifestRef(deps, params.id);
      downloadQuery(c);
      const manifest = await mustGetManifest(deps.lineage, id);
      const artifact = manifest.splits[split];
      return respondWithDownload(c, deps.blobs, deps.presignSeconds, {
        kind: 'artifact',
        ...artifact,
        filename: `${id.slice(0, 12)}-${split}.arrow`,
      });
    });
}

/**
 * The manifest a sticky freeze names: 8 to 64 hex characters are a (short) id, `name@label` a
 * version label, and anything else, or hex that names no manifest, an alias. 404
 * STICKY.UNKNOWN_PARENT when nothing matches.
 */
async function resolveStickyParent(deps: AppDeps, ref: string) {
  const label = ref.includes('@');
  let id =
    /^[0-9a-f]{8,64}$/.test(ref) || label
      ? await resolveManifestRef(deps, ref).catch(unlessNotFound)
      : undefined;
  if (id === undefined && AliasName.safeParse(ref).success)
    id = (await deps.lineage.getAlias(ref))?.manifestId;
  const manifest = id && (await deps.lineage.getManifest(id));
  if (!manifest) {
    throw new NotFoundError('STICKY.UNKNOWN_PARENT', `stickyTo ${ref} names no split manifest or alias`, {
      details: { stickyTo: ref },
    });
  }
  return manifest;
}

function unlessNotFound(error: unknown): undefined {
  if (error instanceof NotFoundError) return undefined;
  throw error;
}

/** The stored manifest, or a 404 naming the id. */
export async function mustGetManifest(lineage: LineageStore, id: string) {
  const manifest = await lineage.getManifest(id);
  if (!manifest) throw new NotFoundError('SPLIT.NOT_FOUND', `no split manifest ${id}`);
  return manifest;
}
