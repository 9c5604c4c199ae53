import type { Readable } from 'node:stream';
import * as z from 'zod';
import {
  AliasMovePage,
  AliasPage,
  type AliasPolicyRequest,
  AuditPage,
  CreateDatasetResponse,
  DatasetPage,
  DatasetView,
  DownloadView,
  JobView,
  LineageView,
  ManifestIdPage,
  type PutAliasRequest,
  type RollbackRequest,
  SplitPage,
  SplitView,
  VerifyResult,
} from '../../schemas/api.js';
import type { SplitName } from '../../schemas/common.js';
import { CreateFilesDatasetResponse, FilesDatasetView } from '../../schemas/dataset-files.js';
import { LeakageReport, SplitIdentities } from '../../schemas/leakage.js';
import { MembershipView } from '../../schemas/membership-view.js';
import { AliasMove, AliasRecord, type Job, type Provenance, StoredManifest } from '../../schemas/records.js';
import type { SpecRequestInput } from '../../schemas/spec.js';
import {
  CompleteUploadResponse,
  CreateUploadResponse,
  PartUrlsResponse,
  type UploadPlanView,
  UploadStatusView,
} from '../../schemas/uploads.js';
import { ApiError } from './api-error.js';
import { type MultipartSendOptions, sendParts } from './multipart-upload.js';
import { createSigV4Signer, type SigV4Options } from './sigv4.js';
import { type CallOptions, Transport } from './transport.js';
import { type UploadTarget, uploadToPresigned } from './upload.js';
import { type WaitOptions, waitForJob } from './wait-job.js';

/** The filters of GET /v1/splits. */
export interface SplitListFilter {
  readonly dataset?: string;
  readonly version?: string;
  readonly createdBy?: string;
  readonly from?: string;
  readonly to?: string;
  /** Manifests this alias has pointed at; answered in one page. */
  readonly alias?: string;
}

/** Bearer-token auth (the embedded server) or SigV4 (API Gateway with IAM auth). */
export type ClientOptions =
  | { readonly url: string; readonly token?: string; readonly fetch?: typeof fetch }
  | {
      readonly url: string;
      /** true: the standard AWS credential chain; or explicit credentials / a provider. */
      readonly aws: true | NonNullable<SigV4Options['credentials']>;
      /** @default the region in an API Gateway host name (abc.execute-api.REGION.amazonaws.com) */
      readonly region?: string;
      readonly fetch?: typeof fetch;
    };

export type FreezeOutcome =
  | { readonly state: 'done'; readonly created: boolean; readonly manifest: StoredManifest }
  | { readonly state: 'pending'; readonly job: Job };

// 201/200 carry the manifest once the job is done (200: it already existed); 202 only the job.
const FreezeAnswer = z.object({ job: JobView, manifest: StoredManifest.optional() });
const JobAnswer = z.object({ job: JobView });
// The history route answers `?at=` with the single move in force; pages otherwise.
const HistoryAnswer = z.union([AliasMovePage, AliasMove.transform((move) => ({ items: [move] }))]);

function pageQuery(page: { limit?: number; cursor?: string } = {}): CallOptions['query'] {
  return { limit: page.limit, cursor: page.cursor };
}

const seg = encodeURIComponent;

function signingRegion(url: string, region: string | undefined): string {
  const found = region ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1];
  if (!found) throw new TypeError(`no AWS region given and none in the host of "${url}"`);
  return found;
}

/** A typed client for every route of the splitvault HTTP API; failures throw ApiError. */
export function createClient(options: ClientOptions) {
  const signer =
    'aws' in options
      ? createSigV4Signer({
          region: signingRegion(options.url, options.region),
          ...(options.aws === true ? {} : { credentials: options.aws }),
        })
      : undefined;
  const t = new Transport({
    baseUrl: options.url,
    ...('token' in options && options.token ? { token: options.token } : {}),
    ...(signer ? { signer } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const value = async <T>(answer: Promise<{ value: T }>): Promise<T> => (await answer).value;
  const client = {
    baseUrl: t.baseUrl,
    health: () => value(t.call('GET', '/v1/health', z.object({ status: z.string() }).passthrough())),
    createDataset: (input: { sha256: string; bytes: number; name?: string; mediaType?: string }) =>
      value(t.call('POST', '/v1/datasets', CreateDatasetResponse, { body: input })),
    /** Registers a many-file dataset; `uploads` holds one presigned PUT per file not yet stored. */
    createFilesDataset: (input: {
      files: { sha256: string; bytes: number; name?: string }[];
      name?: string;
      mediaType?: string;
    }) => value(t.call('POST', '/v1/datasets', CreateFilesDatasetResponse, { body: input })),
    /** Sends the bytes to the URL createDataset handed out, with exactly its headers. */
    uploadDataset: (
      target: UploadTarget,
      body: Readable,
      bytes: number,
      onProgress?: (sent: number) => void,
    ) => uploadToPresigned({ ...target, url: t.resolve(target.url).toString() }, body, bytes, onProgress),
    /** Registers a dataset and plans (or resumes) its multipart upload; no upload when stored. */
    createUpload: (input: {
      sha256: string;
      bytes: number;
      name?: string;
      mediaType?: string;
      partBytes?: number;
    }) => value(t.call('POST', '/v1/uploads', CreateUploadResponse, { body: input })),
    getUpload: (id: string) => value(t.call('GET', `/v1/uploads/${seg(id)}`, UploadStatusView)),
    partUrls: (id: string, parts: { number: number; sha256: string }[]) =>
      value(t.call('POST', `/v1/uploads/${seg(id)}/parts`, PartUrlsResponse, { body: { parts } })),
    /** Publishes the upload once the server has checked the whole file's SHA-256. */
    completeUpload: (id: string) =>
      value(t.call('POST', `/v1/uploads/${seg(id)}/complete`, CompleteUploadResponse)),
    abortUpload: (id: string) => t.call('DELETE', `/v1/uploads/${seg(id)}`, z.undefined()),
    /** Sends the parts of `file` the server lacks (./multipart-upload.ts), then completes. */
    async uploadMultipart(
      plan: z.output<typeof UploadPlanView>,
      file: string,
      options?: MultipartSendOptions,
    ) {
      const calls = { ...client, resolve: (url: string) => t.resolve(url).toString() };
      const sent = await sendParts(calls, plan, file, options);
      return { ...sent, ...(await client.completeUpload(plan.id)) };
    },
    /** One file, or a many-file dataset with each file's status. */
    getDataset: (sha256: string) =>
      value(t.call('GET', `/v1/datasets/${seg(sha256)}`, z.union([FilesDatasetView, DatasetView]))),
    listDatasetSplits: (sha256: string, page?: { limit?: number; cursor?: string }) =>
      value(t.call('GET', `/v1/datasets/${seg(sha256)}/splits`, ManifestIdPage, { query: pageQuery(page) })),
    async freeze(
      input: {
        dataset: string;
        spec: SpecRequestInput;
        provenance?: Provenance;
        environment?: Record<string, unknown>;
        /** Sticky re-freeze (SPLIT-SPEC.md §8.5): manifest id, short id, alias or name@label. */
        stickyTo?: string;
        /** With stickyTo: the key column rows are matched by; absent, the whole row. */
        stickyBy?: string;
      },
      wait?: number,
    ): Promise<FreezeOutcome> {
      const answer = await t.call('POST', '/v1/splits', FreezeAnswer, { body: input, query: { wait } });
      const { job, manifest } = answer.value;
      return manifest
        ? { state: 'done', created: answer.status === 201, manifest }
        : { state: 'pending', job };
    },
    getJob: (id: string) => value(t.call('GET', `/v1/jobs/${seg(id)}`, JobView)),
    waitForJob: (id: string, wait?: WaitOptions) => waitForJob((jobId) => client.getJob(jobId), id, wait),
    getSplit: (id: string) => value(t.call('GET', `/v1/splits/${seg(id)}`, SplitView)),
    /** The freeze's leakage report, or undefined when it recorded none (LEAKAGE.NOT_RECORDED). */
    getLeakageReport: (id: string) =>
      value(t.call('GET', `/v1/splits/${seg(id)}/leakage`, LeakageReport)).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'LEAKAGE.NOT_RECORDED') return undefined;
        throw error;
      }),
    getSplitDownload: (id: string, split: SplitName) =>
      value(t.call('GET', `/v1/splits/${seg(id)}/${split}`, DownloadView)),
    /** Stored bytes by hash, or by a unique prefix of 8+ hex characters (409 when several share it). */
    getArtifactDownload: (sha256: string) =>
      value(t.call('GET', `/v1/artifacts/${seg(sha256)}`, DownloadView)),
    startVerify: async (id: string) =>
      (await value(t.call('POST', `/v1/splits/${seg(id)}/verify`, JobAnswer))).job,
    /** Starts a verify job and waits; the job's result parsed as VerifyResult. */
    async verify(id: string, wait?: WaitOptions) {
      const job = await client.waitForJob((await client.startVerify(id)).id, wait);
      return { job, result: VerifyResult.parse(job.result) };
    },
    /** The row identities a split's freeze recorded: the root and size a proof is checked against. */
    getSplitIdentities: (id: string, split: SplitName) =>
      value(t.call('GET', `/v1/splits/${seg(id)}/${split}/identities`, SplitIdentities)),
    /** The server's proof that the row with identity `row` (hex) is, or is not, in the split. */
    getMembership: (id: string, split: SplitName, row: string) =>
      value(t.call('GET', `/v1/splits/${seg(id)}/${split}/membership`, MembershipView, { query: { row } })),
    lineage: (id: string, depth?: number) =>
      value(t.call('GET', `/v1/splits/${seg(id)}/lineage`, LineageView, { query: { depth } })),
    /** Datasets newest first, each at its latest registration; `prefix` filters names. */
    listDatasets: (query: { prefix?: string; limit?: number; cursor?: string } = {}) =>
      value(t.call('GET', '/v1/datasets', DatasetPage, { query: { ...query } })),
    /** Manifests newest first; `from`/`to` are inclusive ISO times on their first freeze. */
    listSplits: (query: SplitListFilter & { limit?: number; cursor?: string } = {}) =>
      value(t.call('GET', '/v1/splits', SplitPage, { query: { ...query } })),
    listAliases: (page?: { limit?: number; cursor?: string }) =>
      value(t.call('GET', '/v1/aliases', AliasPage, { query: pageQuery(page) })),
    getAlias: (name: string) => value(t.call('GET', `/v1/aliases/${seg(name)}`, AliasRecord)),
    setAlias: (name: string, input: z.input<typeof PutAliasRequest>) =>
      value(t.call('PUT', `/v1/aliases/${seg(name)}`, AliasRecord, { body: input })),
    /** Test quarantine on or off (docs/SPLIT-SPEC.md §8.7): a new revision, audited. */
    setAliasPolicy: (name: string, input: z.input<typeof AliasPolicyRequest>) =>
      value(t.call('PUT', `/v1/aliases/${seg(name)}/policy`, AliasRecord, { body: input })),
    rollbackAlias: (name: string, input: z.input<typeof RollbackRequest>) =>
      value(t.call('POST', `/v1/aliases/${seg(name)}/rollback`, AliasRecord, { body: input })),
    aliasHistory: (name: string, query: { at?: string; limit?: number; cursor?: string } = {}) =>
      value(
        t.call('GET', `/v1/aliases/${seg(name)}/history`, HistoryAnswer, {
          query: { ...pageQuery(query), at: query.at },
        }),
      ),
    getAliasSplitDownload: (name: string, split: SplitName) =>
      value(t.call('GET', `/v1/aliases/${seg(name)}/splits/${split}`, DownloadView)),
    listAudit: (
      query: { actor?: string; action?: string; target?: string; limit?: number; cursor?: string } = {},
    ) => value(t.call('GET', '/v1/audit', AuditPage, { query: { ...query } })),
  };
  return client;
}

/** The client's type, for code that receives one. */
export type SplitvaultClient = ReturnType<typeof createClient>;
