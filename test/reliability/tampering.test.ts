import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { s3Client } from '../conformance/emulator-env.js';
import { call } from './support/call.js';
import { BACKENDS, createHarness, type Harness } from './support/harness.js';
import { csv, freeze, upload } from './support/seed.js';

/** Replaces stored bytes behind the service: the file itself, or a new S3 object version. */
async function tamper(h: Harness, sha256: string, bytes: Uint8Array): Promise<void> {
  const key = blobKey('artifact', sha256);
  if (h.backend === 'embedded') {
    const path = join(h.location, key);
    await chmod(path, 0o644);
    await writeFile(path, bytes);
    return;
  }
  await s3Client().send(new PutObjectCommand({ Bucket: h.location, Key: key, Body: bytes }));
}

let offsetMs = 0;

describe.each(BACKENDS)('tampering on the %s backend', (backend) => {
  let h: Harness;
  let manifest: { id: string; splits: Record<string, { sha256: string; bytes: number }> };
  beforeAll(async () => {
    h = await createHarness(backend, { now: () => new Date(Date.now() + offsetMs) });
    const dataset = csv(200, 21);
    await upload(h, dataset);
    const id = await freeze(h, dataset.sha256);
    manifest = (await call(h, 'GET', `/v1/splits/${id}`)).json.manifest;
  });
  afterAll(async () => h?.close());

  const presigned = async (expiresIn = 900) => {
    const answer = await call(h, 'GET', `/v1/splits/${manifest.id}/validation?expiresIn=${expiresIn}`, {
      headers: { accept: 'application/json' },
    });
    expect(answer.status).toBe(200);
    return new URL(answer.json.url);
  };

  it('serves the untouched presigned URL', async () => {
    expect((await h.fetchPresigned((await presigned()).toString())).status).toBe(200);
  });

  const edits: [string, (url: URL) => void][] = [
    [
      'a flipped signature character',
      (url) => {
        const name = url.searchParams.has('sig') ? 'sig' : 'X-Amz-Signature';
        const sig = url.searchParams.get(name)!;
        url.searchParams.set(name, `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
      },
    ],
    [
      'a path pointing at another artifact',
      (url) => {
        url.pathname = url.pathname.replace(
          manifest.splits.validation!.sha256,
          manifest.splits.train!.sha256,
        );
      },
    ],
    [
      'a later expiry',
      (url) => {
        if (url.searchParams.has('expires'))
          url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
        else url.searchParams.set('X-Amz-Expires', '43200');
      },
    ],
    [
      'the signature removed',
      (url) => {
        url.searchParams.delete('sig');
        url.searchParams.delete('X-Amz-Signature');
      },
    ],
  ];
  it.each(edits)('refuses a presigned URL with %s', async (name, edit) => {
    const url = await presigned();
    edit(url);
    const response = await h.fetchPresigned(url.toString());
    // S3 (and versitygw) answer a query with no X-Amz-Signature as malformed (400
    // AuthorizationQueryParametersError) rather than forbidden; either way nothing is served.
    const refused = backend === 'aws' && name === 'the signature removed' ? [400, 403] : [403];
    expect(refused).toContain(response.status);
  });

  it('refuses a presigned URL after it expires', async () => {
    const url = await presigned(1);
    if (backend === 'embedded') offsetMs = 5_000;
    // versitygw keeps its own clock, so there the URL is simply allowed to age.
    else await new Promise((resolve) => setTimeout(resolve, 2_100));
    try {
      const response = await h.fetchPresigned(url.toString());
      expect(response.status).toBe(403);
      if (backend === 'embedded')
        expect(((await response.json()) as { code: string }).code).toBe('URL.EXPIRED');
    } finally {
      offsetMs = 0;
    }
  });

  it('makes verify fail (ok: false) naming the artifact whose bytes changed in storage, though the split reproduces', async () => {
    const target = manifest.splits.test!;
    const altered = new Uint8Array(target.bytes).fill(0x41);
    await tamper(h, target.sha256, altered);
    const answer = await call(h, 'POST', `/v1/splits/${manifest.id}/verify?wait=30`);
    expect(answer.status).toBe(200);
    const result = answer.json.job.result;
    expect(result).toMatchObject({
      ok: false,
      reproducible: true,
      failures: [{ reason: 'artifact-damaged', sha256: target.sha256, split: 'test' }],
    });
    expect(result.storage.intact).toBe(false);
    expect(result.storage.splits.test.expected).toBe(target.sha256);
    expect(result.storage.splits.test.actual).not.toBe(target.sha256);
    expect(result.storage.splits.train.actual).toBe(result.storage.splits.train.expected);
  });
});
