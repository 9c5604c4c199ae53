/**
 * Ports: the only I/O the domain asks for. Adapters (functions/adapters/aws, /local)
 * implement them and turn backend failures into the errors of ./errors.ts.
 */
import type {
  AliasMove,
  AliasRecord,
  AuditEntry,
  DatasetRecord,
  FreezeEvent,
  Job,
  StoredManifest,
} from '../../schemas/records.js';

/**
 * Datasets are uploaded sources; artifacts are split files (Arrow IPC); identities are a
 * split's identity set and leakage a freeze's leakage report (docs/SPLIT-SPEC.md §8.4).
 */
export type BlobKind = 'dataset' | 'artifact' | 'identities' | 'leakage';

/** Bytes start..end of a blob, both inclusive (as in an HTTP Range header). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface BlobInfo {
  readonly kind: BlobKind;
  readonly sha256: string;
  readonly bytes: number;
  /** When Object Lock (or the embedded store) lets the object be deleted; undefined if unknown. */
  readonly retainUntil?: string;
}

export interface PresignedRequest {
  readonly url: string;
  readonly method: 'GET' | 'PUT';
  /** Headers the client must send unchanged (they are part of the signature). */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

export interface PresignGetOptions {
  /** Seconds; the caller has already capped it. */
  readonly expiresIn: number;
  /** Offered to browsers as Content-Disposition. */
  readonly filename?: string;
}

export interface BlobPutResult {
  readonly created: boolean;
  /** The address held bytes that didn't hash to it and now holds the right ones. */
  readonly repaired?: boolean;
}

/** A stored blob found not to hash to its address (or to have the wrong size). */
export interface DamagedBlob {
  readonly kind: BlobKind;
  readonly sha256: string;
  readonly foundAt: string;
  /** What the stored bytes hashed to and how many there were, when known. */
  readonly actualSha256?: string;
  readonly actualBytes?: number;
}

/**
 * Damage a blob store has seen (a full read that didn't hash to the address), kept until a
 * put of the right bytes repairs it. Reading it must be cheap: health asks on every request.
 */
export interface DamagedBlobLog {
  listDamaged(): Promise<readonly DamagedBlob[]>;
}

/** Content-addressed, immutable bytes. Nothing can be overwritten or deleted through it. */
export interface BlobStore {
  /**
   * Stores bytes under their SHA-256. The backend itself refuses bytes that don't hash to
   * `sha256` (IntegrityError). Storing what is already there succeeds with created=false.
   * A store that can find a damaged copy at the address replaces it with these (verified)
   * bytes and says repaired=true; the caller audits that. A full disk is StorageFullError.
   */
  put(
    kind: BlobKind,
    sha256: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    bytes: number,
  ): Promise<BlobPutResult>;
  /**
   * Optional: publishes a finished local file (a ScratchFile's `path`) under its address by
   * moving it in rather than copying it, checked as put checks; the file is gone afterwards.
   * Undefined when the file can't be moved (another file system): use put then.
   */
  adopt?(kind: BlobKind, sha256: string, path: string, bytes: number): Promise<BlobPutResult | undefined>;
  /** Metadata, or undefined when nothing is stored under that hash. */
  head(kind: BlobKind, sha256: string): Promise<BlobInfo | undefined>;
  /**
   * Streams the stored bytes (NotFoundError when absent), or only `range` of them (clamped to
   * the blob). Callers verify the hash of whole reads; a ranged read is not checked.
   */
  open(kind: BlobKind, sha256: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>>;
  presignGet(kind: BlobKind, sha256: string, options: PresignGetOptions): Promise<PresignedRequest>;
  /** A URL a client PUTs dataset bytes to; the backend accepts only bytes with that hash and size. */
  presignPut(
    sha256: string,
    bytes: number,
    options: { readonly expiresIn: number },
  ): Promise<PresignedRequest>;
}

/** What a verified signed URL grants. */
export interface SignedGrant {
  readonly method: 'GET' | 'PUT';
  readonly kind: BlobKind;
  readonly sha256: string;
  /** For PUT: the exact size the upload must have. */
  readonly bytes?: number;
  /** For GET: the download name to offer. */
  readonly filename?: string;
}

/**
 * Only the embedded backend serves its own presigned URLs (S3 serves them on AWS). The API
 * mounts /v1/blobs when its deps carry one of these; it throws ForbiddenError for a URL whose
 * signature, path or expiry doesn't check out.
 */
export interface SignedUrlVerifier {
  verify(method: 'GET' | 'PUT', url: URL, now: Date): SignedGrant;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly cursor?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

export interface AliasMoveRequest {
  readonly name: string;
  readonly manifestId: string;
  /** The revision the caller saw; 0 means "the alias must not exist yet". */
  readonly expectedRevision: number;
  readonly action: AliasMove['action'];
  readonly actor: string;
  readonly reason: string;
  readonly requestId: string;
  readonly at: string;
  /**
   * Test quarantine after the move (docs/SPLIT-SPEC.md §8.7). Undefined keeps the alias's
   * current policy, so a move that doesn't mean to change it never drops it.
   */
  readonly quarantine?: boolean;
  /** Written in the same transaction as the move. */
  readonly audit: AuditEntry;
}

export interface DatasetLookup {
  /** Only registrations that declared this many bytes. */
  readonly bytes?: number;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
}

export interface DatasetFilter {
  /** Only datasets whose name starts with this. */
  readonly namePrefix?: string;
}

export interface SplitFilter {
  readonly dataset?: string;
  /** The version label of the manifest's first freeze (`provenance.version`). */
  readonly version?: string;
  readonly createdBy?: string;
  /** ISO times, inclusive, on the manifest's `createdAt`. */
  readonly from?: string;
  readonly to?: string;
}

/** A manifest as the catalog lists it, with the version label of its first freeze. */
export interface CatalogSplit {
  readonly manifest: StoredManifest;
  readonly version?: string;
}

/**
 * Browsing what was frozen, newest first. Datasets are listed once each, as their latest
 * registration; splits once per manifest, at its first freeze.
 */
export interface CatalogStore {
  listDatasets(filter: DatasetFilter, page: PageRequest): Promise<Page<DatasetRecord>>;
  listSplits(filter: SplitFilter, page: PageRequest): Promise<Page<CatalogSplit>>;
  /**
   * Up to `limit` distinct ids of the kind that start with `prefix` (8 to 64 lower-case hex
   * characters), in id order: a short id resolves when exactly one comes back.
   */
  findIds(kind: IdKind, prefix: string, limit: number): Promise<readonly string[]>;
}

/**
 * The records a short id can name: manifests, datasets (by their registrations) and split
 * artifacts (by the manifests that list them).
 */
export type IdKind = 'manifest' | 'dataset' | 'artifact';

/**
 * Jobs, the one aggregate with a lifecycle: queued, then running under a lease, then finished
 * (succeeded or failed), after which the record never changes.
 */
export interface JobStore {
  /** Put-if-absent (AlreadyExistsError otherwise). */
  createJob(job: Job): Promise<void>;
  getJob(id: string): Promise<Job | undefined>;
  /** Replaces the job's state; refuses to change a job that already finished. */
  updateJob(job: Job): Promise<void>;
  /**
   * Compare-and-swap: stores `job` only if the stored record's revision is still
   * `expectedRevision` (absent counts as 0) and it has not finished. false when another
   * writer got there first; NotFoundError when there is no such job. The caller sets
   * `job.revision` to `expectedRevision + 1`.
   */
  swapJob(job: Job, expectedRevision: number): Promise<boolean>;
  /** Jobs queued or running, oldest first, at most `limit` (what a restart picks up). */
  listUnfinishedJobs(limit: number): Promise<readonly Job[]>;
}

/**
 * Lineage, aliases and audit (and, through JobStore, jobs). Every method that changes state also writes its audit
 * entry atomically with the change, so the log can't disagree with the data.
 */
export interface LineageStore extends JobStore {
  /**
   * Adds one registration of a dataset (the size, name and media type a caller gave, who and
   * when) with its audit entry, keyed by that entry's id. Registrations are only ever added:
   * a size is a claim until the stored bytes confirm it, so no registration can lock out another.
   */
  registerDataset(registration: DatasetRecord, audit: AuditEntry): Promise<void>;
  /**
   * The latest registration of a dataset, or with `bytes` the latest that declared that size
   * (the one the stored bytes confirm). Undefined when there is none.
   */
  getDataset(sha256: string, options?: DatasetLookup): Promise<DatasetRecord | undefined>;

  /**
   * Records a manifest (if absent), its freeze event, its lineage edges (dataset and
   * provenance parents) and the audit entry, all in one transaction. created=false when the
   * manifest already existed: then only the freeze event and the audit entry are written.
   */
  putManifest(
    manifest: StoredManifest,
    event: FreezeEvent,
    parents: readonly string[],
    audit: AuditEntry,
  ): Promise<{ readonly created: boolean }>;
  getManifest(id: string): Promise<StoredManifest | undefined>;
  listFreezeEvents(manifestId: string): Promise<readonly FreezeEvent[]>;
  listManifestsByDataset(datasetSha256: string, page: PageRequest): Promise<Page<string>>;
  listParents(manifestId: string): Promise<readonly string[]>;
  listChildren(manifestId: string): Promise<readonly string[]>;

  /**
   * Compare-and-swap on the alias pointer; the history item (revision = expected + 1) and
   * the audit entry are written in the same transaction. RevisionConflictError when the
   * current revision is not `expectedRevision`.
   */
  moveAlias(request: AliasMoveRequest): Promise<AliasRecord>;
  getAlias(name: string): Promise<AliasRecord | undefined>;
  listAliases(page: PageRequest): Promise<Page<AliasRecord>>;
  /** Newest first. */
  aliasHistory(name: string, page: PageRequest): Promise<Page<AliasMove>>;
  /** The move in force at `at` (ISO time), or undefined if the alias did not exist then. */
  aliasAt(name: string, at: string): Promise<AliasMove | undefined>;
  /** One move by its revision number. */
  aliasRevision(name: string, revision: number): Promise<AliasMove | undefined>;

  /** For changes that are not a write of this store (e.g. a re-freeze of an existing manifest). */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

/**
 * Local disk for a job's large intermediate files: a sharded freeze writes each split file
 * here while hashing it, since its address (and so its place in the blob store) is known only
 * at the end. Whatever a job leaves behind (a killed process) is swept at the next start.
 */
export interface ScratchSpace {
  /** A new, empty file of this job. */
  create(name: string): Promise<ScratchFile>;
}

export interface ScratchFile {
  /** Where the file is on the local file system (for BlobStore.adopt), once written. */
  readonly path: string;
  /** Appends bytes; a full disk is StorageFullError. */
  append(chunk: Uint8Array): Promise<void>;
  /** Streams what was appended, from the start (after the last append). */
  read(): AsyncIterable<Uint8Array>;
  /** Deletes the file; safe to call more than once. */
  remove(): Promise<void>;
}

/** Where a work object lives, for a reader outside the service (a Map state's ItemReader). */
export interface WorkLocation {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Intermediate objects of a job whose steps run in separate processes (the AWS freeze's state
 * machine): a plan, each shard's results, the parts of the split files. A name is written
 * whole (a retried step writes it again with the same bytes) and read by later steps. The
 * service never deletes them: the store expires them (a lifecycle rule on AWS), which is why
 * it must not be the Object Lock bucket, where they could not be removed at all.
 */
export interface WorkArea {
  /** Stores `body` under the job's `name`, replacing what a failed try left there. */
  put(jobId: string, name: string, body: Uint8Array): Promise<void>;
  /** The bytes under the job's `name`; NotFoundError (WORK.NOT_FOUND) when there are none. */
  get(jobId: string, name: string): Promise<Uint8Array>;
  /**
   * Optional: the bytes under each of `names`, whole and in that order, as `get` would answer
   * them one by one. An adapter that can fetch ahead (several ranged reads at once, within a
   * fixed memory bound) offers it for a step that reads many objects in turn.
   */
  getEach?(jobId: string, names: readonly string[]): AsyncIterable<Uint8Array>;
  /** Where the job's `name` is stored (whether or not it exists yet). */
  locate(jobId: string, name: string): WorkLocation;
}
