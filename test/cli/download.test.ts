import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadVerified } from '../../functions/cli/download.js';

const payload = Buffer.from('arrow bytes, pretend');
const digest = createHash('sha256').update(payload).digest('hex');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sv-dl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fetch that answers with fixed bytes; the Response and its stream are Node's real ones. */
const serve = (body: Uint8Array, status = 200) =>
  (async () => new Response(body, { status })) as typeof fetch;

describe('downloadVerified', () => {
  it('writes the file when the bytes match the expected hash and size', async () => {
    const dest = join(dir, 'train.arrow');
    const done = await downloadVerified(
      { url: 'http://x/', sha256: digest, bytes: payload.length },
      dest,
      undefined,
      serve(payload),
    );
    expect(done).toEqual({ path: dest, sha256: digest, bytes: payload.length });
    expect(await readFile(dest)).toEqual(payload);
    expect(await readdir(dir)).toEqual(['train.arrow']);
  });

  it.each([
    ['altered bytes', Buffer.from('arrow bytes, PRETEND'), 'CLI.CHECKSUM_MISMATCH'],
    ['truncated bytes', payload.subarray(0, 5), 'CLI.CHECKSUM_MISMATCH'],
    ['an HTTP error', Buffer.from('denied'), 'CLI.DOWNLOAD_FAILED'],
  ])('refuses %s and leaves neither the file nor the partial file', async (_case, body, code) => {
    const fetchImpl = serve(body, code === 'CLI.DOWNLOAD_FAILED' ? 403 : 200);
    const request = { url: 'http://x/', sha256: digest, bytes: payload.length };
    await expect(
      downloadVerified(request, join(dir, 'train.arrow'), undefined, fetchImpl),
    ).rejects.toMatchObject({
      code,
      exitCode: 1,
    });
    expect(await readdir(dir)).toEqual([]);
  });
});
