import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { AliasRecord, StoredManifest } from '../../../schemas/records.js';
import { ApiError, type SplitvaultClient } from '../../client/index.js';
import type { UploadTarget } from '../../client/upload.js';
import { check, type Step } from './run-steps.js';
import type { SmokeData } from './smoke-data.js';

/** What the steps share: the client, the run's data, and what earlier steps made. */
export interface SmokeState {
  readonly client: SplitvaultClient;
  /** Fetches presigned URLs and the unauthenticated probe (injectable for tests). */
  readonly fetch: typeof fetch;
  readonly data: SmokeData;
  /** How requests prove who they are; 'none' leaves the refusal check out. */
  readonly auth: 'aws' | 'token' | 'none';
  upload?: UploadTarget;
  manifests: StoredManifest[];
  moves: AliasRecord[];
}

const REASON = 'splitvault smoke test';
// Two specs, so the alias has somewhere to move and something to roll back from.
const SPECS = [1, 2].map((seed) => ({
  strategy: 'random' as const,
  seed,
  ratios: { train: 0.6, validation: 0.2, test: 0.2 },
}));

const first = (state: SmokeState): StoredManifest => state.manifests[0]!;
const short = (sha: string) => sha.slice(0, 12);

async function freeze(state: SmokeState, spec: (typeof SPECS)[number]): Promise<StoredManifest> {
  const outcome = await state.client.freeze({ dataset: state.data.sha256, spec }, 25);
  if (outcome.state === 'done') return outcome.manifest;
  const job = await state.client.waitForJob(outcome.job.id, { timeoutMs: 300_000 });
  check(job.manifestId, `job ${job.id} ended ${job.state} without a manifest`);
  return (await state.client.getSplit(job.manifestId)).manifest;
}

async function expectConflict(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    check(error instanceof ApiError && error.status === 409, `expected 409, got ${String(error)}`);
    return `409 ${error.code}`;
  }
  check(false, 'the service accepted a move with a stale revision');
}

/** The post-deploy checks, in order; each builds on the ones before it. */
export const SMOKE_STEPS: readonly Step<SmokeState>[] = [
  {
    name: 'health',
    async run({ client }) {
      const health = await client.health();
      check(health.status === 'ok', `status is ${JSON.stringify(health.status)}`);
      return `status ok`;
    },
  },
  {
    name: 'register',
    async run(state) {
      const { sha256, bytes, runId } = state.data;
      const created = await state.client.createDataset({
        sha256,
        bytes: bytes.byteLength,
        name: `${runId}.csv`,
        mediaType: 'text/csv',
      });
      check(created.upload, `dataset ${short(sha256)} already had bytes; expected an upload URL`);
      state.upload = created.upload;
      return `dataset ${short(sha256)}, ${bytes.byteLength} bytes`;
    },
  },
  {
    name: 'upload',
    async run(state) {
      const { bytes, sha256 } = state.data;
      await state.client.uploadDataset(state.upload!, Readable.from([Buffer.from(bytes)]), bytes.byteLength);
      const dataset = await state.client.getDataset(sha256);
      check(dataset.status === 'available', `dataset is ${dataset.status} after the upload`);
      return `through ${new URL(state.upload!.url).host}`;
    },
  },
  {
    name: 'freeze',
    async run(state) {
      for (const spec of SPECS) state.manifests.push(await freeze(state, spec));
      return state.manifests.map((m) => short(m.id)).join(', ');
    },
  },
  {
    name: 'download',
    async run(state) {
      const manifest = first(state);
      let total = 0;
      for (const split of SPLIT_NAMES) {
        const download = await state.client.getSplitDownload(manifest.id, split);
        const answer = await state.fetch(download.url);
        check(answer.ok, `${split}: presigned URL answered ${answer.status}`);
        const body = new Uint8Array(await answer.arrayBuffer());
        const sha = createHash('sha256').update(body).digest('hex');
        const expected = manifest.splits[split].sha256;
        check(
          sha === expected,
          `${split}: downloaded bytes hash to ${short(sha)}, manifest says ${short(expected)}`,
        );
        total += body.byteLength;
      }
      return `3 splits, ${total} bytes, SHA-256 as in the manifest`;
    },
  },
  {
    name: 'lineage',
    async run(state) {
      const manifest = first(state);
      const lineage = await state.client.lineage(manifest.id);
      check(lineage.manifestId === manifest.id, `lineage of ${short(lineage.manifestId)}`);
      check(lineage.dataset === state.data.sha256, `lineage names dataset ${short(lineage.dataset)}`);
      return `dataset ${short(lineage.dataset)}`;
    },
  },
  {
    name: 'alias set',
    async run(state) {
      const { runId } = state.data;
      const record = await state.client.setAlias(runId, {
        manifestId: first(state).id,
        reason: REASON,
        expectedRevision: 0,
      });
      check(record.revision === 1, `new alias is at revision ${record.revision}`);
      state.moves.push(record);
      return `${runId} r1`;
    },
  },
  {
    name: 'alias move',
    async run(state) {
      const record = await state.client.setAlias(state.data.runId, {
        manifestId: state.manifests[1]!.id,
        reason: REASON,
        expectedRevision: 1,
      });
      check(record.revision === 2, `moved alias is at revision ${record.revision}`);
      state.moves.push(record);
      return 'r2';
    },
  },
  {
    name: 'stale move',
    run: (state) =>
      expectConflict(
        state.client.setAlias(state.data.runId, {
          manifestId: first(state).id,
          reason: REASON,
          expectedRevision: 1,
        }),
      ),
  },
  {
    name: 'rollback',
    async run(state) {
      const record = await state.client.rollbackAlias(state.data.runId, {
        reason: REASON,
        expectedRevision: 2,
      });
      check(record.revision === 3, `rolled-back alias is at revision ${record.revision}`);
      check(record.manifestId === first(state).id, `rollback went to ${short(record.manifestId)}`);
      state.moves.push(record);
      return `r3 -> ${short(record.manifestId)}`;
    },
  },
  {
    name: 'history ?at=',
    async run(state) {
      const at = state.moves[0]!.updatedAt;
      const page = await state.client.aliasHistory(state.data.runId, { at });
      const move = page.items[0];
      check(move?.revision === 1, `at ${at} the history answers revision ${move?.revision}, not 1`);
      return `r1 at ${at}`;
    },
  },
  {
    name: 'verify',
    async run(state) {
      const { result } = await state.client.verify(first(state).id, { timeoutMs: 300_000 });
      check(result.reproducible, `not reproducible: ${result.detail ?? JSON.stringify(result.actual)}`);
      check(result.storage.intact, 'stored artifacts no longer hash to their addresses');
      check(result.ok, `verify failed: ${JSON.stringify(result.failures)}`);
      return 'reproducible, storage intact';
    },
  },
  {
    name: 'audit',
    async run(state) {
      const page = await state.client.listAudit({ target: `alias:${state.data.runId}`, limit: 10 });
      const actions = page.items.map((entry) => entry.action).sort();
      const expected = ['alias.rollback', 'alias.set', 'alias.set'];
      check(
        JSON.stringify(actions) === JSON.stringify(expected),
        `audit shows ${actions.join(', ') || 'nothing'} for the alias`,
      );
      return '2 sets and a rollback';
    },
  },
  {
    name: 'unsigned refused',
    skip: (state) => (state.auth === 'none' ? 'no --aws or --token: the service accepts anyone' : undefined),
    async run(state) {
      const url = new URL(`/v1/aliases/${state.data.runId}`, `${state.client.baseUrl}/`);
      const answer = await state.fetch(url);
      await answer.body?.cancel();
      check(
        answer.status === 401 || answer.status === 403,
        `an unauthenticated GET answered ${answer.status}`,
      );
      return `${answer.status}`;
    },
  },
];
