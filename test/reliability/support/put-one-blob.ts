/**
 * Child process for the file-size-limit test: puts one deterministic blob of `bytes` bytes
 * (from `seed`) into an FsBlobStore at `dir` and prints the outcome as one JSON line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FsBlobStore } from '../../../functions/adapters/local/fs-blob-store.js';
import { SplitvaultError } from '../../../functions/core/errors.js';

const [dir = '', bytesText = '0', seed = ''] = process.argv.slice(2);
const size = Number(bytesText);
const body = new Uint8Array(size);
for (let offset = 0, block = 0; offset < size; offset += 32, block += 1) {
  body.set(
    createHash('sha256')
      .update(`${seed}/${block}`)
      .digest()
      .subarray(0, size - offset),
    offset,
  );
}
const sha256 = createHash('sha256').update(body).digest('hex');
const store = new FsBlobStore({
  dir,
  publicBaseUrl: 'http://127.0.0.1:1',
  secret: randomBytes(32),
  retentionDays: 1,
});
try {
  const result = await store.put('dataset', sha256, body, size);
  console.log(JSON.stringify({ sha256, result }));
} catch (error) {
  const code = error instanceof SplitvaultError ? error.code : String((error as { code?: string }).code);
  console.log(JSON.stringify({ sha256, error: (error as Error).name, code }));
}
