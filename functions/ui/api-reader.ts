import type { Context } from 'hono';
import type { AppEnv } from '../api/context.js';
import type { ConsoleApi } from '../api/deps.js';

/** A problem+json answer from the API, kept whole so the page can show its detail and code. */
export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Calls the API in-process for one console request, as the caller and with nothing else. */
export interface ApiReader {
  get<T>(path: string): Promise<T>;
  /** Sends JSON; a problem answer becomes ApiProblemError, as for get. */
  send<T>(method: string, path: string, body: unknown): Promise<T>;
}

/**
 * Only the credentials travel on: the Authorization header (tokens) and the Lambda event in
 * the bindings (IAM). Cookies and other headers stay behind, so a page can do nothing the
 * caller couldn't do with the API directly.
 */
export function apiReader(api: ConsoleApi, c: Context<AppEnv>): ApiReader {
  const authorization = c.req.header('authorization');
  const base: Record<string, string> = authorization ? { authorization } : {};
  const call = async <T>(path: string, init: RequestInit): Promise<T> => {
    const response = await api.request(path, init, c.env);
    const body = (await response.json()) as T & { code?: string; detail?: string };
    if (!response.ok) {
      throw new ApiProblemError(response.status, body.code ?? 'UNKNOWN', body.detail ?? response.statusText);
    }
    return body;
  };
  return {
    get: (path) => call(path, { headers: base }),
    send: (method, path, body) =>
      call(path, {
        method,
        headers: { ...base, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

/** `/v1/x?a=1` with only the parameters that have a value. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
