/**
 * A many-file dataset whose file rotted in storage (embedded backend): verify re-hashes every
 * file and names the damaged one under its own address.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { call } from './support/call.js';
import { createHarness, type Harness } from './support/harness.js';
import { datasetOf, freeze, SPEC, upload } from './support/seed.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('embedded');
});
afterEach(async () => h?.close());

const encode = (text: string) => new TextEncoder().encode(text);

describe('a many-file dataset with a damaged file', () => {
  it('fails verify naming the damaged file, while its intact files stay unnamed', async () => {
    const rows = (from: number, to: number) =>
      Array.from(
        { length: to - from },
        (_, i) => `${from + i},${(from + i) % 3 === 0 ? 'a' : 'b'},${i}`,
      ).join('\n');
    const parts = [
      encode(`id,label,value\n${rows(0, 60)}\n`),
      encode(`id,label,value\n${rows(60, 130)}\n`),
    ].map(datasetOf);
    for (const part of parts) await upload(h, part, 'part.csv');
    const registered = await call(h, 'POST', '/v1/datasets', {
      body: { files: parts.map((part) => ({ sha256: part.sha256, bytes: part.bytes.byteLength })) },
    });
    expect(registered.status).toBe(200);
    const id = registered.json.dataset.sha256 as string;
    const manifestId = await freeze(h, id, SPEC);

    const path = join(h.location, blobKey('dataset', parts[1]!.sha256));
    const bytes = Buffer.from(await readFile(path));
    bytes[20] = (bytes[20] ?? 0) ^ 0x01;
    await chmod(path, 0o644);
    await writeFile(path, bytes);

    const answer = await call(h, 'POST', `/v1/splits/${manifestId}/verify?wait=30`);
    const result = answer.json.job.result;
    expect(result).toMatchObject({ ok: false, reproducible: false });
    expect(result.failures).toEqual([{ reason: 'dataset-damaged', sha256: id }]);
    expect(result.storage.damaged).toEqual([
      { kind: 'dataset', sha256: parts[1]!.sha256, actual: expect.not.stringMatching(parts[1]!.sha256) },
    ]);
    expect(result.storage.dataset.expected).toBe(id);
    expect(result.storage.dataset.actual).not.toBe(id);
  });
});
