import * as z from 'zod';
import { AliasName, IsoTime, Sha256 } from './common.js';
import { DatasetFileRecord, MAX_DATASET_FILES } from './dataset-file.js';
import { Manifest } from './manifest.js';

/**
 * A dataset the service knows about; its bytes live in the blob store under `sha256`. A
 * many-file dataset has `files` instead: `sha256` is then the address of its file list
 * (docs/SPLIT-SPEC.md §7), `bytes` their total, and each file is a blob of its own.
 */
export const DatasetRecord = z.object({
  sha256: Sha256,
  bytes: z.number().int().nonnegative(),
  files: z.array(DatasetFileRecord).min(2).max(MAX_DATASET_FILES).optional(),
  name: z.string().max(256).optional(),
  mediaType: z.string().max(128).optional(),
  createdAt: IsoTime,
  createdBy: z.string(),
});
export type DatasetRecord = z.infer<typeof DatasetRecord>;

export const Provenance = z
  .object({
    source: z.string().max(2048).optional(),
    version: z.string().max(256).optional(),
    preprocessing: z.array(z.string().max(2048)).max(100).optional(),
    parents: z.array(Sha256).max(100).optional(),
    note: z.string().max(4096).optional(),
  })
  .strict();
export type Provenance = z.infer<typeof Provenance>;

/** A client's or the service's fingerprint: free-form but bounded string values. */
export const Environment = z.record(z.string().max(256), z.unknown());
export type Environment = z.infer<typeof Environment>;

/** One act of freezing: the same manifest may be frozen many times, by many people. */
export const FreezeEvent = z.object({
  manifestId: Sha256,
  at: IsoTime,
  actor: z.string(),
  requestId: z.string(),
  provenance: Provenance.optional(),
  environment: Environment.optional(),
  service: Environment,
  /**
   * The leakage report this freeze stored. A re-freeze of a manifest recorded before the
   * leakage guard can't change that record, so its report is found through this instead.
   */
  leakageReport: Sha256.optional(),
});
export type FreezeEvent = z.infer<typeof FreezeEvent>;

export const StoredManifest = Manifest.extend({
  createdAt: IsoTime,
  createdBy: z.string(),
  /**
   * Address of the freeze's leakage report (a `leakage` blob, docs/SPLIT-SPEC.md §8.4). On the
   * record, not in the manifest content, so no manifest id depends on it. Absent for manifests
   * frozen before the leakage guard or with `dedupe: "none"`.
   */
  leakageReport: Sha256.optional(),
});
export type StoredManifest = z.infer<typeof StoredManifest>;

/** The current pointer of an alias. `revision` counts moves from 1 and never goes back. */
export const AliasRecord = z.object({
  name: AliasName,
  manifestId: Sha256,
  revision: z.number().int().positive(),
  updatedAt: IsoTime,
  updatedBy: z.string(),
  /** Test quarantine (docs/SPLIT-SPEC.md §8.7): moves are checked for test leaks. Absent: off. */
  quarantine: z.literal(true).optional(),
});
export type AliasRecord = z.infer<typeof AliasRecord>;

/** One move of an alias: written in the same transaction as the pointer it describes. */
export const AliasMove = z.object({
  name: AliasName,
  revision: z.number().int().positive(),
  manifestId: Sha256,
  previousManifestId: Sha256.optional(),
  /** `alias.policy` changes the policy only: manifestId stays previousManifestId. */
  action: z.enum(['alias.set', 'alias.rollback', 'alias.policy']),
  actor: z.string(),
  reason: z.string(),
  requestId: z.string(),
  at: IsoTime,
  /** The policy in force from this revision on (absent: not quarantined). */
  quarantine: z.literal(true).optional(),
});
export type AliasMove = z.infer<typeof AliasMove>;

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed']);

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** ID.AMBIGUOUS: the ids a short id could mean. */
  candidates: z.array(z.string()).optional(),
  /**
   * SPEC.CROSS_SPLIT_DUPLICATES: each pair of splits, its shared rows and examples (a
   * PairLeakage of schemas/leakage.ts; not parsed here, which keeps it out of the API bundle).
   */
  duplicates: z.array(z.record(z.string(), z.unknown())).optional(),
  /** ALIAS.TEST_LEAK: former test rows the refused move would train or validate on. */
  testLeak: z
    .object({
      count: z.number().int(),
      examples: z.array(z.object({ identity: z.string(), split: z.enum(['train', 'validation']) })),
    })
    .optional(),
});
export type Problem = z.infer<typeof Problem>;

/**
 * Who runs a job and until when. The runner renews it on a heartbeat; once it has expired the
 * runner is presumed dead and a retry (AWS) or a restart (embedded) may take the job over.
 */
export const JobLease = z.object({ owner: z.string(), expiresAt: IsoTime });
export type JobLease = z.infer<typeof JobLease>;

/** The stages a freeze or verify goes through, in order; `progress.stage` names one. */
export const JOB_STAGES = ['upload-check', 'ingest', 'assign', 'encode', 'hash', 'record'] as const;
export const JobStage = z.enum(JOB_STAGES);
export type JobStage = z.infer<typeof JobStage>;

/**
 * Where a running job is: its stage and the units of that stage done so far (bytes for
 * upload-check and ingest, rows for assign, files for encode and hash, writes for record).
 */
export const JobProgress = z.object({
  stage: JobStage,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const Job = z.object({
  id: z.string(),
  kind: z.enum(['freeze', 'verify']),
  state: JobState,
  createdAt: IsoTime,
  updatedAt: IsoTime,
  actor: z.string(),
  /** The request that created the job; the worker needs it to run the job again. */
  input: z.record(z.string(), z.unknown()),
  manifestId: Sha256.optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  problem: Problem.optional(),
  /** How many runs have started (claims); a job is failed once this reaches the limit. */
  attempts: z.number().int().nonnegative().optional(),
  lease: JobLease.optional(),
  /** The latest progress the runner recorded (on its heartbeat and at each stage change). */
  progress: JobProgress.optional(),
  /**
   * The Step Functions execution that runs a freeze too big for one worker (AWS only; its name
   * is the job id). Absent when the worker runs the job.
   */
  executionArn: z.string().optional(),
  /** Counts writes to the record, for compare-and-swap; absent means 0 (a job never written). */
  revision: z.number().int().nonnegative().optional(),
});
export type Job = z.infer<typeof Job>;

export const AuditEntry = z.object({
  id: z.string(),
  at: IsoTime,
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  reason: z.string().optional(),
  requestId: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
