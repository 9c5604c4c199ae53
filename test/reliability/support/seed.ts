import { createHash } from 'node:crypto';
import { type Answer, call } from './call.js';
import type { Harness } from './harness.js';

export interface Dataset {
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

export function datasetOf(bytes: Uint8Array): Dataset {
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A small labelled CSV whose bytes (and so hash) depend on `variant`. */
export function csv(rows: number, variant = 0): Dataset {
  const lines = ['id,label,value'];
  for (let i = 0; i < rows; i += 1) lines.push(`${i},${i % 3 === 0 ? 'a' : 'b'},${(i * 7 + variant) % 101}`);
  return datasetOf(new TextEncoder().encode(`${lines.join('\n')}\n`));
}

export const SPEC = {
  strategy: 'random',
  seed: 7,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: 'csv',
} as const;

function expectStatus(answer: Answer, allowed: readonly number[], what: string): Answer {
  if (!allowed.includes(answer.status)) {
    throw new Error(
      `${what}: expected ${allowed.join('/')}, got ${answer.status} ${JSON.stringify(answer.json)}`,
    );
  }
  return answer;
}

/** Registers and uploads through the presigned URL; fine to repeat. */
export async function upload(h: Harness, dataset: Dataset, name = 'data.csv'): Promise<void> {
  const created = expectStatus(
    await call(h, 'POST', '/v1/datasets', {
      body: { sha256: dataset.sha256, bytes: dataset.bytes.byteLength, name },
    }),
    [200, 201],
    'register dataset',
  );
  if (!created.json.upload) return;
  const { url, method, headers } = created.json.upload;
  const put = await h.fetchPresigned(url, { method, headers, body: dataset.bytes });
  if (put.status >= 300) throw new Error(`upload answered ${put.status}: ${await put.text()}`);
}

/** Freezes with ?wait and answers the whole response (job and maybe manifest). */
export async function freezeAnswer(h: Harness, dataset: string, spec: object = SPEC): Promise<Answer> {
  return call(h, 'POST', '/v1/splits?wait=30', { body: { dataset, spec } });
}

/** Freezes and returns the manifest id; throws unless the job succeeded. */
export async function freeze(h: Harness, dataset: string, spec: object = SPEC): Promise<string> {
  const answer = expectStatus(await freezeAnswer(h, dataset, spec), [200, 201], 'freeze');
  return answer.json.manifest.id as string;
}

export async function setAlias(
  h: Harness,
  name: string,
  manifestId: string,
  expectedRevision?: number,
): Promise<Answer> {
  return call(h, 'PUT', `/v1/aliases/${name}`, {
    body: {
      manifestId,
      reason: 'reliability test',
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
    },
  });
}
