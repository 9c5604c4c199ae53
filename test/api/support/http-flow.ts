import { expect } from 'vitest';
import type { DatasetBytes } from './dataset.js';

/** A JSON call over real HTTP. */
export async function http(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(`${base}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** Registers a new dataset and uploads its bytes through the presigned URL. */
export async function uploadOverHttp(base: string, data: DatasetBytes, headers: Record<string, string> = {}) {
  const created = await http(
    base,
    'POST',
    '/v1/datasets',
    { sha256: data.sha256, bytes: data.bytes.byteLength },
    headers,
  );
  expect(created.status).toBe(201);
  const put = await fetch(created.json.upload.url, {
    method: 'PUT',
    headers: created.json.upload.headers,
    body: data.bytes,
  });
  expect(put.status).toBe(201);
}

/** Registers, uploads through the presigned URL and freezes; returns the manifest. */
export async function uploadAndFreeze(
  base: string,
  data: DatasetBytes,
  spec: unknown,
  headers: Record<string, string> = {},
) {
  await uploadOverHttp(base, data, headers);
  const frozen = await http(base, 'POST', '/v1/splits?wait=50', { dataset: data.sha256, spec }, headers);
  expect(frozen.status).toBe(201);
  return frozen.json.manifest;
}
