import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function read(store: FsBlobStore, address: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await store.open('artifact', address)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('adopting a finished local file into the file system store', () => {
  let dir: string;
  let store: FsBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-adopt-'));
    store = new FsBlobStore({
      dir: join(dir, 'blobs'),
      publicBaseUrl: 'http://x.test',
      secret: randomBytes(32),
      retentionDays: 1,
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('moves a file whose bytes hash to the address in, without leaving the scratch file', async () => {
    const bytes = randomBytes(70_000);
    const path = join(dir, 'scratch.arrow');
    await writeFile(path, bytes);
    expect(await store.adopt('artifact', sha(bytes), path, bytes.length)).toEqual({ created: true });
    expect((await read(store, sha(bytes))).equals(bytes)).toBe(true);
    await expect(access(path)).rejects.toThrow();
  });

  it('refuses a file whose bytes do not hash to the address, publishes nothing and removes it', async () => {
    const bytes = randomBytes(1000);
    const path = join(dir, 'scratch.arrow');
    await writeFile(path, bytes);
    const wrong = sha(Buffer.from('something else'));
    await expect(store.adopt('artifact', wrong, path, bytes.length)).rejects.toMatchObject({
      code: 'BLOB.INTEGRITY',
    });
    expect(await store.head('artifact', wrong)).toBeUndefined();
    const left = await readdir(join(dir, 'blobs'), { recursive: true });
    expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the stored copy when the address is already there and says it created nothing', async () => {
    const bytes = randomBytes(5000);
    await store.put('artifact', sha(bytes), bytes, bytes.length);
    const path = join(dir, 'again.arrow');
    await writeFile(path, bytes);
    expect(await store.adopt('artifact', sha(bytes), path, bytes.length)).toEqual({ created: false });
    expect((await read(store, sha(bytes))).equals(bytes)).toBe(true);
  });
});
