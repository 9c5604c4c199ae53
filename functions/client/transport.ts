import type { z } from 'zod';
import { ApiError, ResponseShapeError } from './api-error.js';
import type { RequestSigner } from './sigv4.js';

export interface TransportOptions {
  readonly baseUrl: string;
  readonly token?: string;
  readonly signer?: RequestSigner;
  readonly fetch?: typeof fetch;
  readonly userAgent?: string;
}

export interface CallOptions {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
}

/** A parsed 2xx answer plus the status, for routes whose status carries meaning (200 vs 201 vs 202). */
export interface Answer<T> {
  readonly status: number;
  readonly value: T;
}

/** Sends JSON to the API with the chosen auth and parses the answer with a shared zod schema. */
export class Transport {
  readonly baseUrl: string;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: CallOptions = {},
  ): Promise<Answer<z.output<S>>> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ResponseShapeError(path, `body is not JSON (HTTP ${response.status})`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ResponseShapeError(path, `${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim());
    }
    return { status: response.status, value: parsed.data };
  }

  /** Resolves a path (or an absolute URL the service handed out) against the base URL. */
  resolve(pathOrUrl: string, query?: CallOptions['query']): URL {
    const url = new URL(pathOrUrl.startsWith('/') ? `${this.baseUrl}${pathOrUrl}` : pathOrUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private async send(method: string, path: string, options: CallOptions): Promise<Response> {
    const url = this.resolve(path, options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    if (this.options.signer) {
      headers = await this.options.signer({ method, url, headers, ...(body === undefined ? {} : { body }) });
    } else if (this.options.token) {
      headers.authorization = `Bearer ${this.options.token}`;
    }
    const response = await (this.options.fetch ?? fetch)(url, { method, headers, body });
    if (!response.ok) throw await ApiError.fromResponse(response);
    return response;
  }
}
