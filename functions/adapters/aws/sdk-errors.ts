/**
 * Turns AWS SDK failures that mean "the backend can't serve us right now" into
 * BackendUnavailableError. The SDK has already retried these by the time we see them.
 * Anything else is a bug in our request and is rethrown untouched.
 */
import { BackendUnavailableError } from '../../core/errors.js';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalError',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function isUnavailable(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode ?? 0;
  return THROTTLING.has(shape.name ?? '') || NETWORK.has(shape.code ?? '') || status >= 500;
}

/** Rethrows `error`, as BackendUnavailableError when it is an outage or throttling. */
export function rethrowSdkError(error: unknown, doing: string): never {
  if (isUnavailable(error)) {
    throw new BackendUnavailableError(`${doing} failed: the backend is unavailable or throttling`, {
      cause: error,
    });
  }
  throw error;
}
