import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../functions/client/create-client.js';
import { type MultipartCalls, sendParts } from '../../functions/client/multipart-upload.js';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { MIN_PART_BYTES } from '../../schemas/uploads.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the client sends a multipart upload to the embedded server over real HTTP', () => {
  let dir: string;
  let server: RunningServer;
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-multipart-client-'));
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
    client = createClient({ url: server.url });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function file(bytes: number): Promise<{ path: string; sha256: string; bytes: number }> {
    const body = randomBytes(bytes);
    const path = join(dir, `${sha(body)}.bin`);
    await writeFile(path, body);
    return { path, sha256: sha(body), bytes };
  }

  /** The client's calls, with part-URL requests failing as `fail` decides. */
  function flaky(fail: (number: number, call: number) => Error | undefined): MultipartCalls {
    const calls = new Map<number, number>();
    return {
      getUpload: (id) => client.getUpload(id),
      resolve: (url) => url,
      partUrls: async (id, parts) => {
        const number = parts[0]!.number;
        calls.set(number, (calls.get(number) ?? 0) + 1);
        const error = fail(number, calls.get(number)!);
        if (error) throw error;
        return client.partUrls(id, parts);
      },
    };
  }

  it('uploads three 5 MiB parts two at a time and stores the whole file at its address', async () => {
    const f = await file(3 * MIN_PART_BYTES);
    const created = await client.createUpload({
      sha256: f.sha256,
      bytes: f.bytes,
      partBytes: MIN_PART_BYTES,
    });
    expect(created.upload?.partCount).toBe(3);
    const seen: number[] = [];
    const done = await client.uploadMultipart(created.upload!, f.path, {
      concurrency: 2,
      onProgress: (sent) => seen.push(sent),
    });
    expect(done).toMatchObject({ sent: 3, skipped: 0, dataset: { sha256: f.sha256, status: 'available' } });
    expect(seen.at(-1)).toBe(f.bytes);
    expect(await client.getDataset(f.sha256)).toMatchObject({ bytes: f.bytes, status: 'available' });
  });

  it('retries a part whose attempt failed and still sends every part once', async () => {
    const f = await file(2 * MIN_PART_BYTES + 99);
    const created = await client.createUpload({
      sha256: f.sha256,
      bytes: f.bytes,
      partBytes: MIN_PART_BYTES,
    });
    const calls = flaky((number, call) =>
      number === 2 && call === 1 ? new Error('socket hang up') : undefined,
    );
    const result = await sendParts(calls, created.upload!, f.path, { retryDelayMs: 1 });
    expect(result).toEqual({ sent: 3, skipped: 0 });
    expect((await client.completeUpload(created.upload!.id)).dataset.status).toBe('available');
  });

  it('resumes an interrupted upload, skipping the parts the server already holds', async () => {
    const f = await file(3 * MIN_PART_BYTES);
    const input = { sha256: f.sha256, bytes: f.bytes, partBytes: MIN_PART_BYTES };
    const first = await client.createUpload(input);
    const interrupted = flaky((number) => (number === 3 ? new Error('connection lost') : undefined));
    await expect(
      sendParts(interrupted, first.upload!, f.path, { concurrency: 1, attempts: 1 }),
    ).rejects.toThrow('connection lost');
    const again = await client.createUpload(input);
    expect(again.upload?.id).toBe(first.upload!.id);
    const done = await client.uploadMultipart(again.upload!, f.path);
    expect(done).toMatchObject({ sent: 1, skipped: 2, dataset: { status: 'available' } });
  });
});
