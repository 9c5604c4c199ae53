/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes parse with, so the
 * published contract can't drift from what the server accepts.
 */
import * as z from 'zod';
import * as api from '../../schemas/api.js';
import * as files from '../../schemas/dataset-files.js';
import { LeakageReport, SplitIdentities } from '../../schemas/leakage.js';
import { MembershipQuery } from '../../schemas/membership.js';
import { MembershipView } from '../../schemas/membership-view.js';
import { Problem } from '../../schemas/records.js';
import * as uploads from '../../schemas/uploads.js';

type Method = 'get' | 'put' | 'post' | 'delete';
interface Operation {
  readonly summary: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: string;
  /** status → component name (several: one of them), or null for a response without a JSON body. */
  readonly responses: Readonly<Record<number, string | readonly string[] | null>>;
  readonly public?: boolean;
}

const COMPONENTS = {
  CreateDatasetRequest: api.CreateDatasetRequest,
  CreateDatasetResponse: api.CreateDatasetResponse,
  // A body with `files` registers a many-file dataset (docs/SPLIT-SPEC.md §7).
  RegisterDatasetRequest: z.union([api.CreateDatasetRequest, files.CreateFilesDatasetRequest]),
  CreateFilesDatasetResponse: files.CreateFilesDatasetResponse,
  FilesDatasetView: files.FilesDatasetView,
  DatasetView: api.DatasetView,
  FreezeRequest: api.FreezeRequest,
  Job: api.JobView,
  FreezeResponse: api.FreezeResponse,
  JobResponse: api.JobResponse,
  SplitView: api.SplitView,
  LeakageReport,
  DownloadView: api.DownloadView,
  VerifyResult: api.VerifyResult,
  LineageView: api.LineageView,
  SplitIdentities,
  MembershipView,
  PutAliasRequest: api.PutAliasRequest,
  RollbackRequest: api.RollbackRequest,
  AliasPolicyRequest: api.AliasPolicyRequest,
  AliasRecord: api.AliasRecord,
  AliasMove: api.AliasMove,
  ManifestIdPage: api.ManifestIdPage,
  DatasetPage: api.DatasetPage,
  SplitPage: api.SplitPage,
  AliasPage: api.AliasPage,
  AliasMovePage: api.AliasMovePage,
  AuditPage: api.AuditPage,
  CreateUploadRequest: uploads.CreateUploadRequest,
  CreateUploadResponse: uploads.CreateUploadResponse,
  UploadStatusView: uploads.UploadStatusView,
  PartUrlsRequest: uploads.PartUrlsRequest,
  PartUrlsResponse: uploads.PartUrlsResponse,
  CompleteUploadResponse: uploads.CompleteUploadResponse,
  Problem,
};

const download = { 200: 'DownloadView', 307: null } as const;
const ROUTES: Readonly<Record<string, Partial<Record<Method, Operation>>>> = {
  '/v1/health': { get: { summary: 'Liveness', responses: { 200: null }, public: true } },
  '/v1/datasets': {
    get: {
      summary: 'Datasets, each once at its latest registration, newest first',
      query: api.DatasetListQuery,
      responses: { 200: 'DatasetPage' },
    },
    post: {
      summary: 'Register a dataset (one file, or many with `files`) and get its upload URLs',
      body: 'RegisterDatasetRequest',
      responses: {
        200: ['CreateDatasetResponse', 'CreateFilesDatasetResponse'],
        201: ['CreateDatasetResponse', 'CreateFilesDatasetResponse'],
      },
    },
  },
  '/v1/datasets/{sha256}': {
    get: {
      summary: 'A dataset and whether its bytes are stored',
      params: api.DatasetRefParam,
      responses: { 200: ['DatasetView', 'FilesDatasetView'] },
    },
  },
  '/v1/datasets/{sha256}/splits': {
    get: {
      summary: 'Manifests made from a dataset',
      params: api.DatasetRefParam,
      query: api.PageQuery,
      responses: { 200: 'ManifestIdPage' },
    },
  },
  '/v1/splits': {
    get: {
      summary: 'Manifests newest first, by dataset, version label, creator or time',
      query: api.SplitListQuery,
      responses: { 200: 'SplitPage' },
    },
    post: {
      summary: 'Freeze a split (a job)',
      query: api.FreezeQuery,
      body: 'FreezeRequest',
      responses: { 200: 'FreezeResponse', 201: 'FreezeResponse', 202: 'FreezeResponse' },
    },
  },
  '/v1/splits/{id}': {
    get: {
      summary: 'A manifest and its freeze events',
      params: api.IdParam,
      responses: { 200: 'SplitView' },
    },
  },
  '/v1/splits/{id}/leakage': {
    get: {
      summary: 'The leakage report the freeze stored (its RFC 8785 bytes; ETag is their address)',
      params: api.IdParam,
      responses: { 200: 'LeakageReport' },
    },
  },
  '/v1/splits/{id}/{split}': {
    get: {
      summary: 'Download one split',
      params: api.SplitParam,
      query: api.DownloadQuery,
      responses: download,
    },
  },
  '/v1/splits/{id}/{split}/identities': {
    get: {
      summary:
        "The row identities a split's freeze recorded: the Merkle root and size proofs are checked against",
      params: api.SplitParam,
      responses: { 200: 'SplitIdentities' },
    },
  },
  '/v1/splits/{id}/{split}/membership': {
    get: {
      summary:
        'Whether a row (by its identity) is in a split, with a Merkle proof to check against the recorded root',
      params: api.SplitParam,
      query: MembershipQuery,
      responses: { 200: 'MembershipView' },
    },
  },
  '/v1/splits/{id}/verify': {
    post: {
      summary: 'Rebuild and compare hashes (a job)',
      params: api.IdParam,
      query: api.FreezeQuery,
      responses: { 200: 'JobResponse', 202: 'JobResponse' },
    },
  },
  '/v1/splits/{id}/lineage': {
    get: {
      summary: 'Dataset, ancestors and descendants',
      params: api.IdParam,
      query: api.LineageQuery,
      responses: { 200: 'LineageView' },
    },
  },
  '/v1/jobs/{id}': { get: { summary: 'Job state', params: api.JobParam, responses: { 200: 'Job' } } },
  '/v1/artifacts/{sha256}': {
    get: {
      summary: 'Download stored bytes by hash or short id',
      params: api.BlobRefParam,
      query: api.DownloadQuery,
      responses: download,
    },
  },
  '/v1/aliases': { get: { summary: 'List aliases', query: api.PageQuery, responses: { 200: 'AliasPage' } } },
  '/v1/aliases/{name}': {
    get: { summary: 'Where an alias points', params: api.AliasParam, responses: { 200: 'AliasRecord' } },
    put: {
      summary: 'Create or move an alias',
      params: api.AliasParam,
      body: 'PutAliasRequest',
      responses: { 200: 'AliasRecord', 201: 'AliasRecord' },
    },
  },
  '/v1/aliases/{name}/rollback': {
    post: {
      summary: 'Point an alias back',
      params: api.AliasParam,
      body: 'RollbackRequest',
      responses: { 200: 'AliasRecord' },
    },
  },
  '/v1/aliases/{name}/policy': {
    put: {
      summary: 'Turn test quarantine on or off',
      params: api.AliasParam,
      body: 'AliasPolicyRequest',
      responses: { 200: 'AliasRecord' },
    },
  },
  '/v1/aliases/{name}/history': {
    get: {
      summary: 'Moves, newest first; ?at= answers one move',
      params: api.AliasParam,
      query: api.HistoryQuery,
      responses: { 200: ['AliasMovePage', 'AliasMove'] },
    },
  },
  '/v1/aliases/{name}/splits/{split}': {
    get: {
      summary: "Download a split of the alias's target",
      params: api.AliasSplitParam,
      query: api.DownloadQuery,
      responses: download,
    },
  },
  '/v1/audit': {
    get: { summary: 'Audit log, newest first', query: api.AuditQuery, responses: { 200: 'AuditPage' } },
  },
  // Multipart uploads (embedded backend; docs/MULTIPART-UPLOAD.md).
  '/v1/uploads': {
    post: {
      summary: 'Register a dataset and plan (or resume) its multipart upload',
      body: 'CreateUploadRequest',
      responses: { 200: 'CreateUploadResponse', 201: 'CreateUploadResponse' },
    },
  },
  '/v1/uploads/{id}': {
    get: {
      summary: 'An upload in progress and its staged parts',
      params: uploads.UploadIdParam,
      responses: { 200: 'UploadStatusView' },
    },
    delete: {
      summary: 'Abort an upload, removing its staged parts',
      params: uploads.UploadIdParam,
      responses: { 204: null },
    },
  },
  '/v1/uploads/{id}/parts': {
    post: {
      summary: "Part URLs, each signing the part's SHA-256",
      params: uploads.UploadIdParam,
      body: 'PartUrlsRequest',
      responses: { 200: 'PartUrlsResponse' },
    },
  },
  '/v1/uploads/{id}/complete': {
    post: {
      summary: 'Publish the upload if the assembled file hashes to the dataset',
      params: uploads.UploadIdParam,
      responses: { 200: 'CompleteUploadResponse', 201: 'CompleteUploadResponse' },
    },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// zod writes its ~400-character ISO regex next to `format: date-time`; the format alone says it
// to every client generator and keeps the published document readable.
const JSON_SCHEMA = {
  io: 'input',
  unrepresentable: 'any',
  override: ({ jsonSchema }) => {
    if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  },
} satisfies Parameters<typeof z.toJSONSchema>[1];

function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined) {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: z.toJSONSchema(field as z.ZodType, JSON_SCHEMA),
  }));
}

const title = (word: string) => word[0]?.toUpperCase() + word.slice(1);

/** `get /v1/splits/{id}/lineage` → getSplitsByIdLineage: unique while method and path are. */
const operationId = (method: string, path: string) =>
  method +
  path
    .split('/')
    .slice(2)
    .map((part) => (part.startsWith('{') ? `By${title(part.slice(1, -1))}` : title(part)))
    .join('');

function operation(method: string, path: string, op: Operation) {
  const problem = {
    description: 'problem',
    content: { 'application/problem+json': { schema: ref('Problem') } },
  };
  return {
    operationId: operationId(method, path),
    // The resource after /v1/ groups operations in viewers and generated clients.
    tags: [path.split('/')[2]],
    summary: op.summary,
    ...(op.public ? { security: [] } : {}),
    parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(op.responses).map(([status, name]) => [
          status,
          name === null
            ? { description: 'see summary' }
            : typeof name === 'string'
              ? { description: name, content: { 'application/json': { schema: ref(name) } } }
              : {
                  // anyOf, not oneOf: the one-file view is open, so a many-file answer fits both.
                  description: name.join(' or '),
                  content: { 'application/json': { schema: { anyOf: name.map(ref) } } },
                },
        ]),
      ),
      default: problem,
    },
  };
}

/** Builds the document; cheap enough to do once per app. `uploads`: publish /v1/uploads (mounted). */
export function openApiDocument(
  version: string,
  options: { readonly uploads?: boolean } = {},
): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...JSON_SCHEMA, uri: (id) => `#/components/schemas/${id}` });
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  // The upload routes are published only where they are mounted, so every listed path answers.
  const mounted = Object.entries(ROUTES).filter(
    ([path]) => options.uploads || !path.startsWith('/v1/uploads'),
  );
  const paths = Object.fromEntries(
    mounted.map(([path, ops]) => [
      path,
      Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, operation(method, path, op)])),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'splitvault',
      version,
      description: 'Frozen, content-addressed, auditable dataset splits.',
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        sigv4: { type: 'apiKey', name: 'Authorization', in: 'header' },
      },
    },
    security: [{ bearer: [] }, { sigv4: [] }],
    paths,
  };
}
