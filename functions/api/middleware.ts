import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { TooLargeError } from '../core/errors.js';
import { type Authenticator, assertRole, type Role } from './auth/identity.js';
import type { AppEnv, LogSink } from './context.js';

interface LambdaRequestContext {
  readonly event?: { readonly requestContext?: { readonly requestId?: string } };
}

/**
 * Gives each request an id (API Gateway's when there is one) and logs one JSON line when it
 * ends. The route pattern is logged, never the raw URL, so presigned signatures and query
 * tokens stay out of the logs.
 */
export function requestLog(log: LogSink): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const fromGateway = (c.env as LambdaRequestContext | undefined)?.event?.requestContext?.requestId;
    const requestId = fromGateway ?? randomUUID();
    c.set('requestId', requestId);
    c.set('log', log);
    // Set before the handler runs: a header added to a finished response makes the Node
    // adapter rebuild it. Responses built outside the context (rare) get it afterwards.
    c.header('x-request-id', requestId);
    await next();
    if (!c.res.headers.has('x-request-id')) c.header('x-request-id', requestId);
    log({
      requestId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      actor: c.var.identity?.actor,
    });
  };
}

/** The role a request needs, decided in one place: GETs read, aliases deploy, the rest write. */
export function requiredRole(method: string, path: string): Role {
  if (method === 'GET' || method === 'HEAD') return 'reader';
  return path.startsWith('/v1/aliases') ? 'deployer' : 'writer';
}

export function authenticate(authenticator: Authenticator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = await authenticator.authenticate(c);
    c.set('identity', identity);
    assertRole(identity, requiredRole(c.req.method, c.req.path));
    await next();
  };
}

/**
 * How much of an oversized body with a declared length is read (and dropped) before the 413
 * is sent. A client that writes its whole body before reading the answer (Node's http, fetch)
 * sees a reset instead of the problem document if the server answers and closes first; past
 * this many bytes the server doesn't wait, and the connection may be reset.
 */
export const OVERSIZE_DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Caps JSON bodies at `maxBytes` (413 `REQUEST.TOO_LARGE`). A body declared too large by its
 * Content-Length is refused without being parsed, but only after it has been received, so the
 * client gets the 413 document rather than a connection reset mid-upload. Streamed bodies
 * (no length) go through Hono's bodyLimit, which counts while it buffers.
 */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = () => new TooLargeError('REQUEST.TOO_LARGE', `request body exceeds ${maxBytes} bytes`);
  const streamed = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    // A GET or HEAD request has no body, and asking for one makes the Node adapter build a
    // full fetch Request (streams, abort signal) that the read routes otherwise never need.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = Number(c.req.header('content-length'));
    if (declared > maxBytes && c.req.header('transfer-encoding') === undefined) {
      if (declared <= OVERSIZE_DRAIN_BYTES) await discard(c.req.raw.body);
      throw tooLarge();
    }
    return streamed(c, next);
  };
}

async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  try {
    while (!(await reader.read()).done) {
      // Nothing to keep: the bytes are read only so the client can finish sending them.
    }
  } catch {
    // The client went away; there is nobody left to answer.
  }
}
