/**
 * Request and response bodies of the HTTP API. The OpenAPI document is generated from these,
 * so they are the contract; the routes parse requests with them and nothing else.
 */
import * as z from 'zod';
import { AliasName, IsoTime, Sha256, SplitName } from './common.js';
import {
  AliasMove,
  AliasRecord,
  AuditEntry,
  DatasetRecord,
  Environment,
  FreezeEvent,
  Job,
  Provenance,
  StoredManifest,
} from './records.js';
import { DatasetFormat, SpecRequest, Strategy } from './spec.js';

/**
 * S3 refuses single presigned PUTs above 5 GiB; the embedded backend keeps the same limit.
 * Larger datasets go through the multipart upload API (schemas/uploads.ts).
 */
export const MAX_DATASET_BYTES = 5 * 1024 ** 3;
export const MAX_PAGE_SIZE = 100;
/** `?wait=` is capped so a request never outlives API Gateway's own timeout by much. */
export const MAX_WAIT_SECONDS = 60;

export const CreateDatasetRequest = z
  .object({
    sha256: Sha256,
    bytes: z.number().int().min(1).max(MAX_DATASET_BYTES),
    name: z.string().min(1).max(256).optional(),
    mediaType: z.string().min(1).max(128).optional(),
  })
  .strict();

export const PresignedRequestView = z.object({
  url: z.url(),
  method: z.enum(['GET', 'PUT']),
  headers: z.record(z.string(), z.string()),
  expiresAt: IsoTime,
});

export const DatasetView = DatasetRecord.extend({ status: z.enum(['pending', 'available']) });
export const CreateDatasetResponse = z.object({
  dataset: DatasetView,
  upload: PresignedRequestView.optional(),
});

/**
 * Request parts kept inside one DynamoDB item (the job holds spec, provenance and environment;
 * the freeze event provenance and environment) get this many bytes of JSON each, so an item
 * stays well under DynamoDB's 400 KB limit: 3 × 64 KiB plus bounded fields. A larger part is
 * answered 413 with code PART_TOO_LARGE, on both backends, instead of failing mid-job.
 */
export const MAX_STORED_PART_BYTES = 64 * 1024;
export const PART_TOO_LARGE = 'REQUEST.PART_TOO_LARGE';

function storedPart<T extends z.ZodType>(schema: T) {
  return schema.superRefine((value, ctx) => {
    const bytes = new TextEncoder().encode(JSON.stringify(value)).byteLength;
    if (bytes <= MAX_STORED_PART_BYTES) return;
    ctx.addIssue({
      code: 'custom',
      message: `is ${bytes} bytes of JSON; the limit is ${MAX_STORED_PART_BYTES} bytes`,
      params: { code: PART_TOO_LARGE },
    });
  });
}

export const FreezeRequest = z
  .object({
    dataset: Sha256,
    spec: storedPart(SpecRequest),
    provenance: storedPart(Provenance).optional(),
    environment: storedPart(Environment).optional(),
    /** Sticky re-freeze (SPLIT-SPEC.md §8.5): a manifest id, short id, alias or name@label. */
    stickyTo: z.string().min(1).max(512).optional(),
    /** The key column rows are matched by under stickyTo; absent, the whole row. */
    stickyBy: z.string().min(1).max(1024).optional(),
  })
  .strict()
  .refine((r) => r.stickyBy === undefined || r.stickyTo !== undefined, {
    path: ['stickyBy'],
    message: 'stickyBy needs stickyTo',
  });
export type FreezeRequest = z.output<typeof FreezeRequest>;

export const JobView = Job;
export const SplitView = z.object({ manifest: StoredManifest, freezeEvents: z.array(FreezeEvent) });
/** POST /v1/splits: the manifest is present once the job has succeeded (201 new, 200 existing). */
export const FreezeResponse = z.object({ job: JobView, manifest: StoredManifest.optional() });
/** POST /v1/splits/{id}/verify: the job, whose result is a VerifyResult once it succeeded. */
export const JobResponse = z.object({ job: JobView });

export const DownloadView = z.object({
  url: z.url(),
  sha256: Sha256,
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative().optional(),
  expiresAt: IsoTime,
});

const SplitHashes = z.object({
  manifestId: Sha256.optional(),
  train: Sha256,
  validation: Sha256,
  test: Sha256,
});
/** One reason a verify did not pass; `sha256` is the address that failed, `split` the artifact's split. */
export const VerifyFailure = z.object({
  reason: z.enum(['not-reproducible', 'dataset-damaged', 'artifact-damaged', 'artifact-missing']),
  sha256: Sha256,
  split: SplitName.optional(),
});
export type VerifyFailure = z.infer<typeof VerifyFailure>;

export const VerifyResult = z.object({
  /** True only when the split reproduces AND every stored blob (dataset and artifacts) hashes to its address. */
  ok: z.boolean(),
  /** Why `ok` is false, one entry per failure; empty when it passed. */
  failures: z.array(VerifyFailure),
  reproducible: z.boolean(),
  expected: SplitHashes,
  actual: SplitHashes.partial(),
  /** Each stored artifact re-hashed: a mismatch means the bytes changed in storage. */
  storage: z.object({
    /** False when any blob of the manifest (dataset or artifact) is missing or damaged. */
    intact: z.boolean(),
    splits: z.record(SplitName, z.object({ expected: Sha256, actual: Sha256.nullable() })),
    /** The stored dataset, re-hashed. */
    dataset: z.object({ expected: Sha256, actual: Sha256.nullable() }).optional(),
    /** Every blob present but not hashing to its address: upload the right bytes to repair it. */
    damaged: z
      .array(z.object({ kind: z.enum(['dataset', 'artifact']), sha256: Sha256, actual: Sha256 }))
      .optional(),
  }),
  detail: z.string().optional(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;

const LineageNode = z.object({ id: Sha256, depth: z.number().int().positive() });
export const LineageView = z.object({
  manifestId: Sha256,
  dataset: Sha256,
  ancestors: z.array(LineageNode),
  descendants: z.array(LineageNode),
});

export const PutAliasRequest = z
  .object({
    manifestId: Sha256,
    reason: z.string().min(1).max(1024),
    expectedRevision: z.number().int().nonnegative().optional(),
    /** Only when creating the alias; later, PUT /v1/aliases/{name}/policy. */
    quarantine: z.boolean().optional(),
    /** Moves a quarantined alias despite a test leak (or unchecked sets); audited with `reason`. */
    allowTestLeak: z.boolean().optional(),
  })
  .strict();
export const RollbackRequest = z
  .object({
    reason: z.string().min(1).max(1024),
    toRevision: z.number().int().positive().optional(),
    /** Makes a retried rollback safe: it fails with 409 instead of rolling back twice. */
    expectedRevision: z.number().int().positive().optional(),
    allowTestLeak: z.boolean().optional(),
  })
  .strict();
/** Turns test quarantine on or off: a new revision on the same manifest, audited with `reason`. */
export const AliasPolicyRequest = z
  .object({
    quarantine: z.boolean(),
    reason: z.string().min(1).max(1024),
    expectedRevision: z.number().int().positive().optional(),
  })
  .strict();

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  // Cursors are base64url made by the stores; a tight bound keeps encoded URLs under Node's header limit.
  cursor: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page')
    .optional(),
});
export const FreezeQuery = z.object({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
});
export const DownloadQuery = z.object({ expiresIn: z.coerce.number().int().min(1).max(43_200).optional() });
export const HistoryQuery = PageQuery.extend({ at: IsoTime.optional() });
export const AuditQuery = PageQuery.extend({
  actor: z.string().min(1).max(2048).optional(),
  action: z.string().min(1).max(128).optional(),
  target: z.string().min(1).max(2048).optional(),
});
/** GET /v1/datasets: newest first, optionally only names starting with `prefix`. */
export const DatasetListQuery = PageQuery.extend({ prefix: z.string().min(1).max(256).optional() });
/** GET /v1/splits: manifests newest first; `from`/`to` bound `createdAt`, both inclusive. */
export const SplitListQuery = PageQuery.extend({
  dataset: Sha256.optional(),
  version: z.string().min(1).max(256).optional(),
  createdBy: z.string().min(1).max(2048).optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  /** Only manifests this alias has pointed at; answered in one page (no cursor). */
  alias: AliasName.optional(),
});
export const LineageQuery = z.object({ depth: z.coerce.number().int().min(1).max(10).default(5) });

/** A full id, or a short id: its first 8 or more lower-case hex characters. */
export const IdRef = z
  .string()
  .regex(/^[0-9a-f]{8,64}$/, 'must be an id (64 lower-case hex characters) or its first 8 or more');
/** A dataset name and a version label: the one manifest of that dataset first frozen with it. */
export const LabelRef = z
  .string()
  .max(600)
  .regex(/^[^@].*@[^@]+$/, 'must be dataset-name@version-label');
export const ManifestRef = z.union([IdRef, LabelRef]);
export const DatasetRefParam = z.object({ sha256: IdRef });
/** `/v1/artifacts/{sha256}`: stored bytes by hash or short id, the same shape. */
export const BlobRefParam = DatasetRefParam;
export const IdParam = z.object({ id: ManifestRef });
export const SplitParam = z.object({ id: ManifestRef, split: SplitName });
export const JobParam = z.object({ id: z.string().min(1).max(128) });
export const AliasParam = z.object({ name: AliasName });
export const AliasSplitParam = z.object({ name: AliasName, split: SplitName });

/** Builds `{items, cursor?}` for any item schema. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), cursor: z.string().optional() });
}

export const ManifestIdPage = pageOf(Sha256);
export const DatasetPage = pageOf(DatasetRecord);

/** One manifest in the catalog: who froze it first and when, its label, dataset and sizes. */
export const SplitSummary = z.object({
  id: Sha256,
  createdAt: IsoTime,
  createdBy: z.string(),
  /** The version label (`provenance.version`) of the manifest's first freeze. */
  version: z.string().optional(),
  strategy: Strategy,
  dataset: z.object({
    sha256: Sha256,
    /** The name of the dataset's latest registration, when it has one. */
    name: z.string().optional(),
    rows: z.number().int().nonnegative(),
    format: DatasetFormat,
  }),
  rows: z.record(SplitName, z.number().int().nonnegative()),
});
export type SplitSummary = z.infer<typeof SplitSummary>;
export const SplitPage = pageOf(SplitSummary);
export const AliasPage = pageOf(AliasRecord);
export const AliasMovePage = pageOf(AliasMove);
export const AuditPage = pageOf(AuditEntry);
export { AliasMove, AliasRecord };
