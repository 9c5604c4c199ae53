/**
 * The embedded blob store's own integrity guarantees, beyond the shared conformance suite:
 * repair of a damaged address, the damage record, the start-up sweep of orphaned temp files,
 * sliced I/O for big blobs, and presigned expiry rounded up.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { isOrphan } from '../../functions/adapters/local/fs-temp-files.js';
import { IO_SLICE_BYTES } from '../../functions/adapters/local/fs-verified-write.js';

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of stream);
}

let dir: string;
let store: FsBlobStore;
const body = randomBytes(100_000);
const address = sha256Of(body);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitvault-fs-integrity-'));
  store = new FsBlobStore({
    dir,
    publicBaseUrl: 'http://127.0.0.1:1',
    secret: randomBytes(32),
    retentionDays: 1,
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites a published file behind the store's back (as bit rot or an old bug would). */
async function damage(kind: 'dataset' | 'artifact', sha256: string, bytes: Uint8Array): Promise<void> {
  const path = join(dir, blobKey(kind, sha256));
  await chmod(path, 0o644);
  await writeFile(path, bytes);
  await chmod(path, 0o444);
}

describe('repairing a damaged address', () => {
  it('replaces a truncated file with the right bytes and says repaired', async () => {
    await store.put('dataset', address, body, body.byteLength);
    await damage('dataset', address, body.subarray(0, 60_000));

    const result = await store.put('dataset', address, body, body.byteLength);

    expect(result).toEqual({ created: false, repaired: true });
    expect(sha256Of(await readFile(join(dir, blobKey('dataset', address))))).toBe(address);
    expect(await store.head('dataset', address)).toMatchObject({ bytes: body.byteLength });
  });

  it('replaces a file of the right size whose bytes rotted', async () => {
    await store.put('artifact', address, body, body.byteLength);
    const rotted = Buffer.from(body);
    rotted[50_000] = (rotted[50_000] ?? 0) ^ 0xff;
    await damage('artifact', address, rotted);

    expect(await store.put('artifact', address, body, body.byteLength)).toEqual({
      created: false,
      repaired: true,
    });
    expect(sha256Of(await readFile(join(dir, blobKey('artifact', address))))).toBe(address);
  });

  it('leaves an intact file alone and says neither created nor repaired', async () => {
    await store.put('dataset', address, body, body.byteLength);
    expect(await store.put('dataset', address, body, body.byteLength)).toEqual({ created: false });
  });

  it('never replaces a damaged file with bytes that do not hash to the address either', async () => {
    await store.put('dataset', address, body, body.byteLength);
    const damaged = body.subarray(0, 60_000);
    await damage('dataset', address, damaged);
    const wrong = randomBytes(body.byteLength);

    await expect(store.put('dataset', address, wrong, wrong.byteLength)).rejects.toMatchObject({
      code: 'BLOB.INTEGRITY',
    });
    expect(sha256Of(await readFile(join(dir, blobKey('dataset', address))))).toBe(sha256Of(damaged));
  });
});

describe('the damage record', () => {
  it('records a full read that does not hash to the address, and forgets it once repaired', async () => {
    await store.put('artifact', address, body, body.byteLength);
    expect(await store.listDamaged()).toEqual([]);
    await damage('artifact', address, body.subarray(0, 10));

    await drain(await store.open('artifact', address));

    expect(await store.listDamaged()).toEqual([
      expect.objectContaining({
        kind: 'artifact',
        sha256: address,
        actualSha256: sha256Of(body.subarray(0, 10)),
        actualBytes: 10,
      }),
    ]);
    await store.put('artifact', address, body, body.byteLength);
    expect(await store.listDamaged()).toEqual([]);
  });

  it('records nothing for a read of intact bytes or a read abandoned before the end', async () => {
    await store.put('dataset', address, body, body.byteLength);
    await drain(await store.open('dataset', address));
    await damage('dataset', address, randomBytes(body.byteLength));
    for await (const _ of await store.open('dataset', address)) break;

    expect(await store.listDamaged()).toEqual([]);
  });
});

describe('the start-up sweep of temp files', () => {
  it('removes temp files whose writer is gone but never a published blob or a live writer’s temp file', async () => {
    await store.put('dataset', address, body, body.byteLength);
    const folder = dirname(join(dir, blobKey('dataset', address)));
    const artifacts = join(dir, 'artifacts/sha256');
    await mkdir(artifacts, { recursive: true });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const uuid = () => crypto.randomUUID();
    const orphans = [
      join(folder, `${address}.${uuid()}.tmp`), // named before pids were recorded
      join(artifacts, `${address}.arrow.${deadPid}-${uuid()}.tmp`),
    ];
    const kept = [
      `${address}.${process.ppid}-${uuid()}.tmp`, // another process, still running
      `${address}.${process.pid}-${uuid()}.tmp`, // this process, written since it started
    ];
    for (const path of orphans) await writeFile(path, 'partial');
    for (const name of kept) await writeFile(join(folder, name), 'partial');

    expect(await store.sweepTempFiles()).toBe(2);

    expect((await readdir(folder)).sort()).toEqual([address, ...kept].sort());
    expect(await readdir(artifacts)).toEqual([]);
    expect(sha256Of(await readFile(join(folder, address)))).toBe(address);
  });

  it('leaves alone the temp file of a put still in progress in this process', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slowBody() {
      yield body.subarray(0, 1000);
      await gate;
      yield body.subarray(1000);
    }
    const writing = store.put('dataset', address, slowBody(), body.byteLength);
    const folder = dirname(join(dir, blobKey('dataset', address)));
    await vi.waitFor(async () => expect((await readdir(folder).catch(() => [])).length).toBe(1));

    expect(await store.sweepTempFiles()).toBe(0);
    release();
    expect(await writing).toEqual({ created: true });
  });

  const sweeper = { pid: 100, startedAtMs: 1_000_000, isAlive: (pid: number) => pid === 200 };
  it.each([
    ['an old-style name with no pid', { pid: undefined, ctimeMs: 2_000_000 }, true],
    ['a pid that is gone', { pid: 300, ctimeMs: 2_000_000 }, true],
    ['a pid that still runs', { pid: 200, ctimeMs: 0 }, false],
    [
      'this pid, touched before this process started (a restart that reused the pid)',
      { pid: 100, ctimeMs: 999_999 },
      true,
    ],
    [
      'this pid, touched since it started (another thread or store instance)',
      { pid: 100, ctimeMs: 1_000_000 },
      false,
    ],
  ])('treats a temp file of %s as orphaned: %s', (_, file, orphaned) => {
    expect(isOrphan(file, sweeper)).toBe(orphaned);
  });
});

describe('big blobs', () => {
  // Substitute for a real > 2 GiB blob (about 30 s here on a shared 2-core machine): the old
  // code failed because it handed one > 2 GiB buffer to a single hash update and write. This
  // checks that no single write or hash update exceeds the slice, whatever the blob size.
  it('writes and hashes a blob bigger than one I/O slice in slices no larger than the slice', async () => {
    const big = new Uint8Array(2 * IO_SLICE_BYTES + 12_345);
    big.fill(7);
    const sha256 = sha256Of(big);
    const probe = await open(join(dir, 'probe'), 'w');
    const fileProto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => unknown };
    await probe.close();
    const hashProto = Object.getPrototypeOf(createHash('sha256')) as {
      update: (...args: unknown[]) => unknown;
    };
    const writes = vi.spyOn(fileProto, 'write');
    const updates = vi.spyOn(hashProto, 'update');

    expect(await store.put('artifact', sha256, big, big.byteLength)).toEqual({ created: true });

    const sizes = [
      ...writes.mock.calls.map((call) => Number(call[2])),
      ...updates.mock.calls.map((call) => (call[0] as Uint8Array).byteLength),
    ];
    expect(writes.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(IO_SLICE_BYTES);
    expect(await store.head('artifact', sha256)).toMatchObject({ bytes: big.byteLength });
  });
});

describe('presigned expiry', () => {
  it('rounds the expiry up to a whole second, so a URL never dies before the lifetime asked for', async () => {
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 999));
    const clocked = new FsBlobStore({
      dir,
      publicBaseUrl: 'http://127.0.0.1:1',
      secret: randomBytes(32),
      retentionDays: 1,
      clock: () => now,
    });
    for (const request of [
      await clocked.presignGet('artifact', address, { expiresIn: 60 }),
      await clocked.presignPut(address, 10, { expiresIn: 60 }),
    ]) {
      const expires = Number(new URL(request.url).searchParams.get('expires'));
      expect(expires * 1000).toBeGreaterThanOrEqual(now.getTime() + 60_000);
      expect(expires * 1000).toBeLessThan(now.getTime() + 61_000);
      expect(Date.parse(request.expiresAt)).toBe(expires * 1000);
    }
  });
});
