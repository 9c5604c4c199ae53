import { expect } from 'vitest';
import type { DatasetBytes } from './dataset.js';
import { type ApiHarness, TOKENS } from './harness.js';

export interface CallOptions {
  readonly token?: string | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // Test-side JSON: each test narrows what it reads.
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  readonly json: any;
}

/** One in-process request; the admin token unless another (or null for none) is given. */
export async function call(
  h: ApiHarness,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TOKENS.admin : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await h.app.request(path, {
    method,
    headers,
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** Registers a dataset and uploads it through the presigned URL the API hands out. */
export async function uploadDataset(h: ApiHarness, dataset: DatasetBytes): Promise<void> {
  const created = await call(h, 'POST', '/v1/datasets', {
    body: {
      sha256: dataset.sha256,
      bytes: dataset.bytes.byteLength,
      name: 'fixture.csv',
      mediaType: 'text/csv',
    },
  });
  expect(created.status).toBe(201);
  const { url, method, headers } = created.json.upload;
  const put = await h.fetchPresigned(url, { method, headers, body: dataset.bytes });
  expect(put.status).toBeLessThan(300);
}

/** Freezes with `?wait=` and returns the manifest id (the job must succeed). */
export async function freezeSplit(
  h: ApiHarness,
  dataset: string,
  spec: unknown,
  extra: object = {},
): Promise<string> {
  const answer = await call(h, 'POST', '/v1/splits?wait=50', { body: { dataset, spec, ...extra } });
  expect(answer.json.job?.problem).toBeUndefined();
  expect([200, 201]).toContain(answer.status);
  return answer.json.manifest.id as string;
}
