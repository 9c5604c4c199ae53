/**
 * Domain errors. Each carries a stable `code` that clients can match on; HTTP statuses are
 * chosen at the edge (functions/api/problem.ts) from `kind`, never here.
 */
export type ErrorKind =
  | 'invalid' // 400: the request itself is wrong
  | 'unauthenticated' // 401: no identity
  | 'forbidden' // 403: identity lacks the role, or a signed URL is altered or expired
  | 'unprocessable' // 422: the dataset parses but can't be split as asked (or doesn't parse)
  | 'not-found' // 404
  | 'conflict' // 409
  | 'too-large' // 413
  | 'unavailable' // 503: a backend is down or throttling
  | 'integrity'; // 500-class: stored bytes no longer match their address

export interface SplitvaultErrorOptions {
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Base of every error the product raises on purpose. */
export class SplitvaultError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(kind: ErrorKind, code: string, message: string, options: SplitvaultErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SplitvaultError';
    this.kind = kind;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Input that can't be used: bad spec, bad hash, unknown column. */
export class ValidationError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('invalid', code, message, options);
    this.name = 'ValidationError';
  }
}

/** A dataset that can't be read or split as asked. */
export class DatasetError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('unprocessable', code, message, options);
    this.name = 'DatasetError';
  }
}

export class NotFoundError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('not-found', code, message, options);
    this.name = 'NotFoundError';
  }
}

/** A put-if-absent found the item already there. */
export class AlreadyExistsError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('conflict', code, message, options);
    this.name = 'AlreadyExistsError';
  }
}

/** A compare-and-swap lost: someone else moved the alias first. */
export class RevisionConflictError extends SplitvaultError {
  constructor(message: string, options?: SplitvaultErrorOptions) {
    super('conflict', 'ALIAS.REVISION_CONFLICT', message, options);
    this.name = 'RevisionConflictError';
  }
}

export class TooLargeError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('too-large', code, message, options);
    this.name = 'TooLargeError';
  }
}

/** A backend could not be reached, or kept throttling after the SDK's retries. */
export class BackendUnavailableError extends SplitvaultError {
  constructor(message: string, options?: SplitvaultErrorOptions) {
    super('unavailable', 'BACKEND.UNAVAILABLE', message, options);
    this.name = 'BackendUnavailableError';
  }
}

/**
 * The disk (or quota, or file-size limit) under a store is full. Kind `unavailable` because
 * it is a backend condition the operator fixes, after which the same request succeeds; the
 * edge answers it with 507 by its code.
 */
export class StorageFullError extends SplitvaultError {
  constructor(message: string, options?: SplitvaultErrorOptions) {
    super('unavailable', 'STORAGE.FULL', message, options);
    this.name = 'StorageFullError';
  }
}

/** Stored bytes do not hash to their address: tampering or corruption. */
export class IntegrityError extends SplitvaultError {
  constructor(message: string, options?: SplitvaultErrorOptions) {
    super('integrity', 'BLOB.INTEGRITY', message, options);
    this.name = 'IntegrityError';
  }
}

/** The caller is known but may not do this, or a signed URL does not check out. */
export class ForbiddenError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('forbidden', code, message, options);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends SplitvaultError {
  constructor(message: string, options?: SplitvaultErrorOptions) {
    super('unauthenticated', 'AUTH.REQUIRED', message, options);
    this.name = 'UnauthenticatedError';
  }
}

/** A well-formed request that clashes with current state (a dataset not uploaded, a finished job). */
export class ConflictError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('conflict', code, message, options);
    this.name = 'ConflictError';
  }
}

/**
 * A worker thread running a job's shard tasks died (it exited, threw outside a task, or ran
 * out of its heap): the job fails whole, with code JOB.WORKER_DIED and the edge's 500. Kind
 * `unavailable` because it is a condition of the machine (memory, a crash), not of the request.
 */
export class WorkerDiedError extends SplitvaultError {
  constructor(message: string, options?: SplitvaultErrorOptions) {
    super('unavailable', 'JOB.WORKER_DIED', message, options);
    this.name = 'WorkerDiedError';
  }
}
