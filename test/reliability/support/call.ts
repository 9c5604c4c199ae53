import type { Harness } from './harness.js';
import { TOKENS } from './tokens.js';

export interface CallOptions {
  /** Bearer token; the admin's unless given, none when null. */
  readonly token?: string | null;
  /** A string is sent as is (malformed bodies); anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields one by one
  readonly json: any;
}

/** One in-process request through app.request. */
export async function call(
  h: Harness,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKENS.admin : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || options.body instanceof Uint8Array
        ? options.body
        : JSON.stringify(options.body);
  const response = await h.app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: body as NonNullable<RequestInit['body']> }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = { unparsable: text.slice(0, 200) };
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', json };
}
