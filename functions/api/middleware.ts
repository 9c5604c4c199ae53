import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
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
