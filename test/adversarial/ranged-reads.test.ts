import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';

let dir: string;
let store: FsBlobStore;
const body = randomBytes(100_000);
const address = createHash('sha256').update(body).digest('hex');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitvault-adversarial-range-'));
  store = new FsBlobStore({
    dir,
    publicBaseUrl: 'http://127.0.0.1:1',
    secret: randomBytes(32),
    retentionDays: 1,
  });
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('ranged reads of a damaged artifact', () => {
  it('never serves bytes that do not hash to the address when ranged reads cover the whole damaged artifact, or at least records the damage', async () => {
    await store.put('artifact', address, body, body.byteLength);
    const path = join(dir, blobKey('artifact', address));
    const rotten = Buffer.from(body);
    rotten[50_000]! ^= 0x01; // one flipped bit, same length: what bit rot looks like
    await chmod(path, 0o644);
    await writeFile(path, rotten);
    await chmod(path, 0o444);

    // How polars and pyarrow read a file over HTTP: the footer, then the rest, never one whole GET.
    const served: Buffer[] = [];
    let refused = false;
    try {
      for (const range of [
        { start: 90_000, end: 99_999 },
        { start: 0, end: 89_999 },
      ]) {
        for await (const chunk of await store.open('artifact', address, range))
          served.push(Buffer.from(chunk));
      }
    } catch {
      refused = true;
    }
    const damaged = (await store.listDamaged()).some((d) => d.sha256 === address);
    expect(refused || damaged).toBe(true);
  });

  it('serves the right bytes to concurrent ranged readers of an intact blob, and refuses every one of a damaged blob', async () => {
    await store.put('artifact', address, body, body.byteLength);
    const read = async (start: number, end: number) => {
      const chunks: Buffer[] = [];
      for await (const chunk of await store.open('artifact', address, { start, end }))
        chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks);
    };
    const [head, tail] = await Promise.all([read(0, 9), read(99_990, 99_999)]);
    expect(head.equals(body.subarray(0, 10))).toBe(true);
    expect(tail.equals(body.subarray(99_990))).toBe(true);

    const other = randomBytes(50_000);
    const otherAddress = createHash('sha256').update(other).digest('hex');
    await store.put('artifact', otherAddress, other, other.byteLength);
    const path = join(dir, blobKey('artifact', otherAddress));
    const rotten = Buffer.from(other);
    rotten[10]! ^= 0x80;
    await chmod(path, 0o644);
    await writeFile(path, rotten);
    const results = await Promise.allSettled(
      [0, 1, 2].map(async () => {
        for await (const _ of await store.open('artifact', otherAddress, { start: 0, end: 99 })) {
          // drain
        }
      }),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
