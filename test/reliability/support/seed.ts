import { createHash } from 'node:crypto';
import { csvDataset, RANDOM_SPEC } from '../../api/support/dataset.js';
import { type Answer, call } from './call.js';
import type { Harness } from './harness.js';

export interface Dataset {
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

export function datasetOf(bytes: Uint8Array): Dataset {
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

// The same fixture CSV and spec as the API suites, so both exercise one known dataset.
export { csvDataset as csv, RANDOM_SPEC as SPEC };

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
export async function freezeAnswer(h: Harness, dataset: string, spec: object = RANDOM_SPEC): Promise<Answer> {
  return call(h, 'POST', '/v1/splits?wait=30', { body: { dataset, spec } });
}

/** Freezes and returns the manifest id; throws unless the job succeeded. */
export async function freeze(h: Harness, dataset: string, spec: object = RANDOM_SPEC): Promise<string> {
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
