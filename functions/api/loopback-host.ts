import type { MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../core/errors.js';
import type { AppEnv } from './context.js';

// The names a client on this machine uses for a server bound to 127.0.0.1, with or without
// a port. Nothing else: a page whose DNS name was re-pointed at 127.0.0.1 (DNS rebinding)
// still sends its own name in Host, which is what this check turns away.
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/** True when `host` (a Host header value) names this machine's loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/**
 * True when `origin` (an Origin header value) is a page served from this machine's loopback
 * interface, such as /docs. "null" (sandboxed frames, file: pages) and other names are not.
 */
export function isLoopbackOrigin(origin: string): boolean {
  const match = /^https?:\/\/([^/]+)$/i.exec(origin);
  return match !== null && isLoopbackHost(match[1] as string);
}

/**
 * Refuses every request whose Host is not a loopback name. The embedded server runs it when
 * it has no tokens file: every caller is then the local user with all roles, and a browser
 * tab on any web page can reach 127.0.0.1. The URL's host is checked too, because an
 * absolute request target (`GET http://other/...`) sets it apart from the Host header.
 */
export function loopbackHostsOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('host');
    const url = new URL(c.req.url);
    if ((header !== undefined && !isLoopbackHost(header)) || !isLoopbackHost(url.host)) {
      throw new ForbiddenError(
        'REQUEST.HOST_NOT_ALLOWED',
        'without a tokens file this server answers only requests addressed to 127.0.0.1, localhost or [::1]',
      );
    }
    // Without tokens the Host check stops rebinding but not a page on another site sending a
    // request to 127.0.0.1 itself (a bodiless POST needs no preflight). Browsers name that
    // page in Origin; tools such as curl send none and are not affected.
    const origin = c.req.header('origin');
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
      throw new ForbiddenError(
        'REQUEST.ORIGIN_NOT_ALLOWED',
        'without a tokens file this server answers only pages served from 127.0.0.1, localhost or [::1]',
      );
    }
    await next();
  };
}
