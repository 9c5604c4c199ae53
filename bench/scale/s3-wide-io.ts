/**
 * The S3 blob store's long read and multipart upload, one request at a time against the
 * coordinator's read-ahead and parts in flight, on whatever S3 the environment points at:
 *
 *   bash scripts/with-emulators.sh npx tsx bench/scale/s3-wide-io.ts [MIB=128] [STREAMS=11]
 *
 * On versitygw on localhost this measures the code's overhead, not S3: there is no per-stream
 * limit of about 90 MB/s to lift, and the "network" is a loopback shared with the emulator's
 * own disk writes. Prints one JSON line per run (MB = 10⁶ bytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { readAheadOf } from '../../functions/adapters/aws/s3-read-ahead.js';
import { createLockedBucket, s3Client } from '../../test/conformance/emulator-env.js';

const RUNS = 3;

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 128);
  const streams = Number(process.argv[3] ?? 11);
  const client = s3Client();
  const bucket = await createLockedBucket(client, 'bench-wide');
  const common = { client, bucket, stampRetention: true };
  const stores = {
    one: await S3BlobStore.create(common),
    wide: await S3BlobStore.create({
      ...common,
      readAhead: readAheadOf({ streams, rangeBytes: 8 * 2 ** 20 }),
    }),
  };
  for (let run = 0; run < RUNS; run++) {
    for (const [name, store] of Object.entries(stores)) {
      // A fresh body each time: a stored one would only be confirmed, not uploaded.
      const body = randomBytes(mib * 2 ** 20);
      const sha256 = createHash('sha256').update(body).digest('hex');
      let at = performance.now();
      await store.put('artifact', sha256, body, body.byteLength);
      const putS = (performance.now() - at) / 1000;
      at = performance.now();
      const hash = createHash('sha256');
      for await (const chunk of await store.open('artifact', sha256)) hash.update(chunk);
      const readS = (performance.now() - at) / 1000;
      if (hash.digest('hex') !== sha256) throw new Error('read back other bytes');
      const mb = body.byteLength / 1e6;
      console.log(
        JSON.stringify({
          run,
          store: name,
          streams: name === 'wide' ? streams : 1,
          mib,
          uploadMBps: +(mb / putS).toFixed(1),
          readAndHashMBps: +(mb / readS).toFixed(1),
        }),
      );
    }
  }
  client.destroy();
}

await main();
