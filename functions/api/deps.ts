import type { Hono } from 'hono';
import type { Job } from '../../schemas/records.js';
import type { LeakageReader, LeakageReportReader } from '../core/leakage/ports.js';
import type {
  BlobStore,
  CatalogStore,
  DamagedBlobLog,
  LineageStore,
  SignedUrlVerifier,
} from '../core/ports.js';
import type { MultipartStore, PartGrant, PartUrlVerifier } from '../core/upload/ports.js';
import type { Authenticator } from './auth/identity.js';
import type { AppEnv, LogSink } from './context.js';

/**
 * Hands a queued job to whoever runs it: in-process on the embedded backend, an async Lambda
 * invoke on AWS. Keeping it abstract keeps Arrow and the parsers out of the API's imports.
 */
export interface JobDispatcher {
  dispatch(job: Job): Promise<void>;
  /**
   * The job as it is to be recorded before it is dispatched: a dispatcher that runs some jobs
   * elsewhere links them here (`executionArn`), so the record says where a job runs before it
   * starts. @default the job unchanged
   */
  route?(job: Job, facts: JobFacts): Job;
}

/** What the API knows about a job's size when it submits it. */
export interface JobFacts {
  /** Bytes of the dataset a freeze reads (all its files). */
  readonly datasetBytes?: number;
}

/**
 * What the web console (functions/ui) reads through: the app's own routes, called in-process
 * with the caller's credentials, so the console adds no storage access and no second set of
 * role checks; and the authenticator, to know which forms to show.
 */
export interface ConsoleApi {
  request(path: string, init: RequestInit, env: unknown): Response | Promise<Response>;
  readonly authenticator: Authenticator;
}

/** Everything the HTTP app needs; the composition roots in functions/handlers fill it in. */
export interface AppDeps {
  readonly version: string;
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  /** Datasets and manifests to browse; the lineage store of the same backend. */
  readonly catalog: CatalogStore;
  /** What freezes stored for the leakage guard: reports, split identities, identity sets. */
  readonly leakage: LeakageReader & LeakageReportReader;
  readonly jobs: JobDispatcher;
  readonly authenticator: Authenticator;
  /** Default presigned URL lifetime in seconds (already capped by config). */
  readonly presignSeconds: number;
  /** Damaged blobs the store has recorded, reported by /v1/health (embedded backend only). */
  readonly damage?: DamagedBlobLog;
  /**
   * Answer only requests whose Host is 127.0.0.1, localhost or [::1] (403
   * `REQUEST.HOST_NOT_ALLOWED` otherwise). The embedded server sets it when it has no tokens
   * file, so a web page re-pointed at 127.0.0.1 by DNS rebinding can't act as the local user.
   * A request with an Origin that is not one of those names is refused too
   * (`REQUEST.ORIGIN_NOT_ALLOWED`), so a page on another site can't either.
   * @default false
   */
  readonly loopbackOnly?: boolean;
  /** Routes mounted at /docs (the embedded server's offline API viewer). @default none */
  readonly docs?: Hono<AppEnv>;
  /**
   * Routes mounted at /ui (the web console). A factory, so the API bundle imports none of it:
   * the embedded server and the console Lambda pass one, the API Lambda doesn't. @default none
   */
  readonly console?: (api: ConsoleApi) => Hono<AppEnv>;
  /**
   * Only the embedded backend serves its own signed blob URLs: how they are checked, and the
   * routes that serve them (ranges, uploads), passed in so the API Lambda, where S3 serves the
   * URLs, bundles none of it. @default none
   */
  readonly signedUrls?: SignedUrls;
  /** Multipart uploads at /v1/uploads (routes/uploads.ts). @default none: the routes answer 404 */
  readonly uploads?: EmbeddedUploads;
  /** @default one JSON line per call on stdout */
  readonly log?: LogSink;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Upper bound on `?wait=`, below the platform's request timeout. @default 60 */
  readonly maxWaitSeconds?: number;
  /** How often `?wait=` re-reads the job. @default 200 */
  readonly waitPollMs?: number;
}

/** The embedded backend's signed blob URLs: the verifier and the routes that honour them. */
export interface SignedUrls {
  readonly verifier: SignedUrlVerifier;
  readonly routes: (
    deps: Pick<AppDeps, 'blobs' | 'lineage'>,
    verifier: SignedUrlVerifier,
    now: () => Date,
  ) => Hono<AppEnv>;
}

/**
 * The multipart staging store, and where the backend serves its own part URLs (embedded
 * only; S3 serves them on AWS) the verifier and the store that keeps the parts.
 */
export interface EmbeddedUploads {
  readonly store: MultipartStore;
  readonly parts?: {
    readonly verifier: PartUrlVerifier;
    put(grant: PartGrant, body: AsyncIterable<Uint8Array>): Promise<void>;
  };
  /**
   * The routes of /v1/uploads and /v1/upload-parts, passed in with the store so that the API
   * Lambda, which offers no multipart uploads, bundles none of them.
   */
  readonly routes: {
    readonly uploads: (deps: AppDeps, store: MultipartStore) => Hono<AppEnv>;
    readonly parts: (parts: NonNullable<EmbeddedUploads['parts']>, now: () => Date) => Hono<AppEnv>;
  };
}
