import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { HmacUrlSigner } from '../../functions/adapters/local/signed-urls.js';
import { defineBlobStoreConformance } from './blob-store-conformance.js';
import { startBlobServer } from './local-blob-server.js';

defineBlobStoreConformance('file system', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-blobs-'));
  const secret = randomBytes(32);
  let store: FsBlobStore | undefined;
  const server = await startBlobServer((publicBaseUrl) => {
    store = new FsBlobStore({ dir, publicBaseUrl, secret, retentionDays: 30 });
    return { store, verifier: new HmacUrlSigner({ publicBaseUrl, secret }) };
  });
  return {
    store: store!,
    // The file system store streams everything; any size exercises the same path.
    largeBytes: 9 * 1024 * 1024,
    async countStored(kind, sha256) {
      const path = join(dir, blobKey(kind, sha256));
      const names = await readdir(dirname(path)).catch(() => [] as string[]);
      return names.filter((name) => name.startsWith(sha256)).length;
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
