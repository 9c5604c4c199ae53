/**
 * The S3 blob store and work area reading ahead (several ranged GETs at once) and uploading
 * several multipart parts at once, on versitygw (bash scripts/with-emulators.sh). The client
 * is watched through its middleware stack: which requests are open, how many bytes the
 * reader has asked for and not yet handed over, and one request made to fail.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { PartHasher } from '../../functions/adapters/aws/s3-checksums.js';
import { type ReadAheadOptions, readAheadOf } from '../../functions/adapters/aws/s3-read-ahead.js';
import { S3WorkArea } from '../../functions/adapters/aws/s3-work-area.js';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { createLockedBucket, s3Client, uniqueName } from './emulator-env.js';

/** What the watch saw, and what it is told to break. */
interface Watch {
  /** GETs whose answer has not been read to its end (or closed) yet. */
  open: number;
  peakOpen: number;
  /** Bytes asked for by ranged GETs and not yet handed to the reader's consumer. */
  outstanding: number;
  peakOutstanding: number;
  uploadsOpen: number;
  peakUploads: number;
  /** A GET of exactly this Range fails (503 SlowDown, before the SDK's retries). */
  failRange?: string;
  /** This multipart part number fails the same way. */
  failPart?: number;
}

const slowDown = () =>
  Object.assign(new Error('injected SlowDown'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });

function watch(client: S3Client): Watch {
  const seen: Watch = {
    open: 0,
    peakOpen: 0,
    outstanding: 0,
    peakOutstanding: 0,
    uploadsOpen: 0,
    peakUploads: 0,
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Range?: string; PartNumber?: number };
      if (context.commandName === 'GetObjectCommand' && input.Range !== undefined) {
        if (input.Range === seen.failRange) throw slowDown();
        const [from, to] = input.Range.replace('bytes=', '').split('-').map(Number) as [number, number];
        seen.outstanding += to - from + 1;
        seen.peakOutstanding = Math.max(seen.peakOutstanding, seen.outstanding);
        seen.open += 1;
        seen.peakOpen = Math.max(seen.peakOpen, seen.open);
        try {
          const result = await next(args);
          const body = (result.output as { Body?: Readable }).Body;
          // Done when read to its end, failed or closed, whichever comes first; these
          // listeners run before the SDK's own, which it adds when the body is read.
          let done = false;
          const close = () => {
            if (!done) seen.open -= 1;
            done = true;
          };
          if (body && !body.closed) for (const event of ['end', 'error', 'close']) body.once(event, close);
          else close();
          return result;
        } catch (error) {
          seen.open -= 1;
          throw error;
        }
      }
      if (context.commandName === 'UploadPartCommand') {
        if (input.PartNumber === seen.failPart) throw slowDown();
        seen.uploadsOpen += 1;
        seen.peakUploads = Math.max(seen.peakUploads, seen.uploadsOpen);
        try {
          return await next(args);
        } finally {
          seen.uploadsOpen -= 1;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'readAheadWatch' },
  );
  return seen;
}

const sha = (body: Uint8Array) => createHash('sha256').update(body).digest('hex');

/** Reads a stream whole, handing each chunk back to the watch's count as a consumer would. */
async function consume(stream: AsyncIterable<Uint8Array>, seen?: Watch, slow = false): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) {
    if (seen) seen.outstanding -= chunk.byteLength;
    chunks.push(chunk);
    // A consumer slower than the network: the reader must not race ahead of it.
    if (slow) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return Buffer.concat(chunks);
}

describe('reading S3 objects ahead with several ranged GETs at once', () => {
  let client: S3Client;
  let seen: Watch;
  let bucket: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const store = (readAhead?: ReadAheadOptions) =>
    S3BlobStore.create({
      client,
      bucket,
      stampRetention: true,
      multipartThreshold: 1024 * 1024,
      ...(readAhead ? { readAhead: readAheadOf(readAhead) } : {}),
    });

  beforeAll(async () => {
    client = s3Client();
    seen = watch(client);
    bucket = await createLockedBucket(client, 'read-ahead');
  });
  afterAll(() => client.destroy());
  beforeEach(() => {
    Object.assign(seen, {
      open: 0,
      peakOpen: 0,
      outstanding: 0,
      peakOutstanding: 0,
      uploadsOpen: 0,
      peakUploads: 0,
    });
    delete seen.failRange;
    delete seen.failPart;
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  const sizes = [0, 1, 4095, 4096, 4097, 3 * 4096, 100_003, 1024 * 1024 + 7];
  const widths: [number, number][] = [
    [1, 4096],
    [2, 4096],
    [3, 5000],
    [8, 65_536],
  ];

  it('gives the same bytes as a plain read for objects of many sizes and range counts, whole and by range', async () => {
    const plain = await store();
    const blobs = sizes.map((size) => randomBytes(size));
    for (const body of blobs) await plain.put('dataset', sha(body), body, body.byteLength);
    for (const [streams, rangeBytes] of widths) {
      const ahead = await store({ streams, rangeBytes });
      for (const body of blobs) {
        const label = `${body.byteLength} bytes, ${streams} × ${rangeBytes}`;
        const whole = await consume(await ahead.open('dataset', sha(body)));
        expect(whole.equals(await consume(await plain.open('dataset', sha(body)))), label).toBe(true);
        expect(whole.equals(body), label).toBe(true);
        if (body.byteLength < 10) continue;
        const range = { start: 3, end: body.byteLength - 5 };
        const part = await consume(await ahead.open('dataset', sha(body), range));
        expect(part.equals(body.subarray(range.start, range.end + 1)), label).toBe(true);
      }
    }
    expect(seen.open).toBe(0);
  });

  it('reads a list of work objects of unknown sizes whole and in order, as get does one by one', async () => {
    const workBucket = uniqueName('read-ahead-work');
    await client.send(new CreateBucketCommand({ Bucket: workBucket }));
    const jobId = 'job-read-ahead';
    const bodies = [...sizes, 5, 70_000].map((size) => randomBytes(size));
    const names = bodies.map((_, i) => `part-${i}`);
    const plain = new S3WorkArea({ client, bucket: workBucket });
    for (const [i, body] of bodies.entries()) await plain.put(jobId, names[i]!, body);
    for (const [streams, rangeBytes] of widths) {
      const area = new S3WorkArea({
        client,
        bucket: workBucket,
        readAhead: readAheadOf({ streams, rangeBytes }),
      });
      const read: Buffer[] = [];
      for await (const bytes of area.getEach(jobId, names)) read.push(Buffer.from(bytes));
      expect(read.map((b) => b.byteLength)).toEqual(bodies.map((b) => b.byteLength));
      for (const [i, body] of bodies.entries()) expect(read[i]!.equals(body), `object ${i}`).toBe(true);
    }
    const area = new S3WorkArea({
      client,
      bucket: workBucket,
      readAhead: readAheadOf({ streams: 3, rangeBytes: 4096 }),
    });
    const missing = async () => {
      for await (const _ of area.getEach(jobId, [names[6]!, 'no-such-object'])) void _;
    };
    await expect(missing()).rejects.toMatchObject({ code: 'WORK.NOT_FOUND' });
    expect(seen.open).toBe(0);
  });

  it('never holds more than streams × range bytes ahead of a slow consumer, and does keep that many GETs open', async () => {
    const body = randomBytes(300 * 1024);
    const ahead = await store({ streams: 4, rangeBytes: 8192 });
    await ahead.put('dataset', sha(body), body, body.byteLength);
    const read = await consume(await ahead.open('dataset', sha(body)), seen, true);
    expect(read.equals(body)).toBe(true);
    expect(seen.peakOutstanding).toBeLessThanOrEqual(4 * 8192);
    expect(seen.peakOpen).toBe(4);
    expect(seen.outstanding).toBe(0);
  });

  it('fails cleanly when one ranged GET fails mid-stream: the store error, no request left open, no unhandled rejection', async () => {
    const body = randomBytes(200 * 1024);
    const ahead = await store({ streams: 4, rangeBytes: 8192 });
    await ahead.put('dataset', sha(body), body, body.byteLength);
    // The sixth range: five are handed over or in flight beside it when it fails.
    seen.failRange = `bytes=${5 * 8192}-${6 * 8192 - 1}`;
    let handed = 0;
    const reading = (async () => {
      for await (const chunk of await ahead.open('dataset', sha(body))) handed += chunk.byteLength;
    })();
    await expect(reading).rejects.toMatchObject({ code: 'BACKEND.UNAVAILABLE' });
    expect(handed).toBe(5 * 8192);
    // Every other request was aborted or finished before the read answered.
    expect(seen.open).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  it('closes every request when its consumer stops early', async () => {
    const body = randomBytes(200 * 1024);
    const ahead = await store({ streams: 5, rangeBytes: 4096 });
    await ahead.put('dataset', sha(body), body, body.byteLength);
    for await (const chunk of await ahead.open('dataset', sha(body))) {
      expect(chunk.byteLength).toBe(4096);
      break;
    }
    expect(seen.open).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  describe('uploading multipart parts several at once', () => {
    const PART = 8 * 1024 * 1024;
    const pendingUploads = async (Key: string) =>
      (
        (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }))).Uploads ?? []
      ).filter((upload) => upload.Key === Key);

    it('stores the same bytes under the composite checksum of its 8 MiB parts, with parts in flight at once', async () => {
      const body = randomBytes(3 * PART + 12_345);
      const ahead = await store({ streams: 3, rangeBytes: 65_536 });
      // Streamed in odd-sized chunks, so parts are cut across them.
      async function* chunks() {
        for (let at = 0; at < body.byteLength; at += 1_000_003) yield body.subarray(at, at + 1_000_003);
      }
      expect(await ahead.put('artifact', sha(body), chunks(), body.byteLength)).toEqual({ created: true });
      expect(seen.peakUploads).toBeGreaterThan(1);
      expect(seen.peakUploads).toBeLessThanOrEqual(3);
      const hasher = new PartHasher();
      hasher.update(body);
      const head = await client.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: blobKey('artifact', sha(body)),
          ChecksumMode: 'ENABLED',
        }),
      );
      expect(head.ChecksumSHA256).toBe(hasher.digest().composite);
      expect((await consume(await ahead.open('artifact', sha(body)))).equals(body)).toBe(true);
      // Stored again, it is confirmed by that checksum, not uploaded twice.
      expect(await ahead.put('artifact', sha(body), body, body.byteLength)).toEqual({ created: false });
    });

    it('refuses a body that does not hash to its address and leaves neither an object nor an upload', async () => {
      const body = randomBytes(2 * PART + 1);
      const claimed = sha(randomBytes(16));
      const ahead = await store({ streams: 3, rangeBytes: 65_536 });
      await expect(ahead.put('artifact', claimed, body, body.byteLength)).rejects.toMatchObject({
        code: 'BLOB.INTEGRITY',
      });
      expect(await ahead.head('artifact', claimed)).toBeUndefined();
      expect(await pendingUploads(blobKey('artifact', claimed))).toEqual([]);
    });

    it('aborts its upload when a part fails, after the parts in flight have finished', async () => {
      const body = randomBytes(4 * PART + 1);
      const ahead = await store({ streams: 3, rangeBytes: 65_536 });
      seen.failPart = 3;
      await expect(ahead.put('artifact', sha(body), body, body.byteLength)).rejects.toMatchObject({
        code: 'BACKEND.UNAVAILABLE',
      });
      expect(seen.uploadsOpen).toBe(0);
      expect(await ahead.head('artifact', sha(body))).toBeUndefined();
      expect(await pendingUploads(blobKey('artifact', sha(body)))).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    });
  });
});
