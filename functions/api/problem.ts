/**
 * The one place errors become HTTP responses: application/problem+json with a stable code.
 * Unknown errors are logged and answered with a generic 500, never a stack or SDK message.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Problem } from '../../schemas/records.js';
import { type ErrorKind, SplitvaultError } from '../core/errors.js';
import type { AppEnv } from './context.js';

const STATUS: Readonly<Record<ErrorKind, ContentfulStatusCode>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  unprocessable: 422,
  unavailable: 503,
  integrity: 500,
};

/** Codes whose status is more specific than their kind's. */
const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
  'STORAGE.FULL': 507,
  'JOB.QUEUE_FULL': 429,
  'JOB.WORKER_DIED': 500,
  'BLOB.RANGE_NOT_SATISFIABLE': 416,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

/** The problem document for any thrown value; `unknown` errors get no detail at all. */
export function toProblem(err: unknown): Problem {
  if (err instanceof SplitvaultError) {
    const status = STATUS_BY_CODE[err.code] ?? STATUS[err.kind];
    const errors = err.details.errors as Problem['errors'] | undefined;
    const candidates = err.details.candidates as Problem['candidates'] | undefined;
    const duplicates = err.details.duplicates as Problem['duplicates'] | undefined;
    const testLeak = err.details.testLeak as Problem['testLeak'] | undefined;
    return {
      type: `urn:splitvault:problem:${err.code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: err.kind === 'integrity' ? 'stored bytes do not match their address' : err.message,
      code: err.code,
      ...(errors ? { errors } : {}),
      ...(candidates ? { candidates } : {}),
      ...(duplicates ? { duplicates } : {}),
      ...(testLeak ? { testLeak } : {}),
    };
  }
  if (err instanceof HTTPException && err.status < 500) {
    return {
      type: 'about:blank',
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      code: 'HTTP.ERROR',
    };
  }
  return {
    type: 'about:blank',
    title: TITLES[500]!,
    status: 500,
    code: 'INTERNAL',
    detail: 'internal error',
  };
}

export function problemResponse(c: Context<AppEnv>, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
  });
}

/** Hono's onError: logs what the client may not see, answers what it may. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  const problem = toProblem(err);
  if (problem.status >= 500) {
    c.get('log')?.({
      level: 'error',
      requestId: c.get('requestId'),
      error: err.name,
      code: problem.code,
      message: err instanceof SplitvaultError ? err.message : String(err.message).slice(0, 500),
    });
  }
  // An error that knows when to come back (a full job queue) says so.
  const retryAfter = err instanceof SplitvaultError ? err.details.retryAfterSeconds : undefined;
  if (typeof retryAfter === 'number') c.header('retry-after', String(retryAfter));
  return problemResponse(c, problem);
}

export function onNotFound(c: Context<AppEnv>): Response {
  return problemResponse(c, {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    code: 'ROUTE.NOT_FOUND',
    detail: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`,
  });
}
