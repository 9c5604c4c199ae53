/**
 * Read-ahead: one S3 object, or several one after another, streamed in order through up to
 * `streams` ranged GETs at once. One GET stream gets about 90 MB/s from S3, so a coordinator
 * that walks tens of GB (the plan's hash check and cut, the combine's parts) reads with several.
 * The reader never holds more than `streams` ranges of `rangeBytes`: a range is asked for only
 * when one before it has been handed over, so its memory is streams × rangeBytes however slow
 * the consumer. On a failed GET, or a consumer that stops early, every other request is
 * aborted and awaited before the iteration ends: nothing is left streaming and no rejection
 * goes unhandled.
 */
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** How wide a read-ahead runs; memory is streams × rangeBytes. */
export interface ReadAheadOptions {
  /** Ranged GETs in flight at once (at least 1). */
  readonly streams: number;
  /** Bytes per ranged GET (at least 1). */
  readonly rangeBytes: number;
}

/**
 * A read-ahead as the stores are given it: its width and the reader. The stores take it whole
 * rather than import the reader, so a function that never reads wide (the API) doesn't bundle it.
 */
export interface ReadAhead extends ReadAheadOptions {
  read(
    client: S3Client,
    spans: readonly ObjectSpan[],
    fail: (error: unknown, span: ObjectSpan) => never,
  ): AsyncIterable<SpanChunk>;
}

/** The read-ahead of this width. */
export function readAheadOf(options: ReadAheadOptions): ReadAhead {
  const { streams, rangeBytes } = options;
  return { streams, rangeBytes, read: (client, spans, fail) => readAhead(client, spans, options, fail) };
}

/** Bytes [start, end) of one object; without `end`, to the object's end (learnt from the first answer). */
export interface ObjectSpan {
  readonly Bucket: string;
  readonly Key: string;
  /** The version every range is read from, so the bytes are of one version. */
  readonly VersionId?: string;
  /** @default 0 */
  readonly start?: number;
  readonly end?: number;
}

/** Bytes of span number `span`, in order. */
export interface SpanChunk {
  readonly span: number;
  readonly bytes: Uint8Array;
}

/** Bytes per ranged GET: large enough that a request's first-byte latency is small beside it. */
const RANGE_BYTES = 8 * 2 ** 20;
const MAX_STREAMS = 16;

/**
 * The read-ahead a function of `memoryBytes` affords: 8 MiB ranges, as many as a thirty-second
 * of its memory holds, 2 to 16 (3,008 MB: 11 streams, 88 MiB).
 */
export function readAheadFor(memoryBytes: number): ReadAhead {
  const streams = Math.min(MAX_STREAMS, Math.max(2, Math.floor(memoryBytes / 32 / RANGE_BYTES)));
  return readAheadOf({ streams, rangeBytes: RANGE_BYTES });
}

interface Fetch {
  readonly span: number;
  /** Bytes expected, when the span's end was known. */
  readonly expected?: number;
  readonly controller: AbortController;
  readonly body: Promise<Uint8Array>;
  /** The object's size, from the answer's Content-Range. */
  readonly size: Promise<number>;
}

/**
 * Streams `spans` in order, `rangeBytes` at a time, with up to `streams` GETs in flight.
 * `fail` turns an SDK error into the caller's own (it must throw).
 */
export async function* readAhead(
  client: S3Client,
  spans: readonly ObjectSpan[],
  options: ReadAheadOptions,
  fail: (error: unknown, span: ObjectSpan) => never = (error) => {
    throw error;
  },
): AsyncGenerator<SpanChunk> {
  const streams = Math.max(1, Math.floor(options.streams));
  const rangeBytes = Math.max(1, Math.floor(options.rangeBytes));
  const inFlight: Fetch[] = [];
  let span = 0;
  let offset = spans[0]?.start ?? 0;
  let end = spans[0]?.end;
  // The first range of a span of unknown end: its answer says where the span ends.
  let sizing: Fetch | undefined;

  const issue = (from: number, to: number | undefined): Fetch => {
    const target = spans[span]!;
    const controller = new AbortController();
    const last = to === undefined ? from + rangeBytes - 1 : to - 1;
    const answer: Promise<GetObjectCommandOutput | undefined> = client
      .send(
        new GetObjectCommand({
          Bucket: target.Bucket,
          Key: target.Key,
          ...(target.VersionId === undefined ? {} : { VersionId: target.VersionId }),
          Range: `bytes=${from}-${last}`,
        }),
        { abortSignal: controller.signal },
      )
      .catch((error: unknown) => {
        // An empty object has no byte 0 to range over: S3 answers 416.
        if (to === undefined && from === 0 && status(error) === 416) return undefined;
        return fail(error, target);
      });
    const body = answer.then((output) =>
      output === undefined
        ? new Uint8Array(0)
        : output.Body!.transformToByteArray().catch((error: unknown) => fail(error, target)),
    );
    const size = answer.then((output) => (output === undefined ? 0 : totalOf(output.ContentRange, from)));
    // Awaited in order later; until then a failure must not count as unhandled.
    body.catch(() => undefined);
    size.catch(() => undefined);
    const fetch: Fetch = {
      span,
      ...(to === undefined ? {} : { expected: to - from }),
      controller,
      body,
      size,
    };
    inFlight.push(fetch);
    return fetch;
  };

  const nextSpan = () => {
    span += 1;
    offset = spans[span]?.start ?? 0;
    end = spans[span]?.end;
  };

  // Asks for ranges in order until `streams` are in flight or every span is asked for.
  const fill = async () => {
    while (inFlight.length < streams && span < spans.length) {
      if (end === undefined) {
        if (sizing === undefined) {
          sizing = issue(offset, undefined);
          offset += rangeBytes;
          continue;
        }
        end = await sizing.size;
        sizing = undefined;
        continue;
      }
      if (offset >= end) {
        nextSpan();
        continue;
      }
      const to = Math.min(end, offset + rangeBytes);
      issue(offset, to);
      offset = to;
    }
  };

  try {
    await fill();
    while (inFlight.length > 0) {
      const head = inFlight[0]!;
      const bytes = await head.body;
      if (head.expected !== undefined && bytes.byteLength !== head.expected) {
        fail(
          new Error(`S3 answered ${bytes.byteLength} bytes for a range of ${head.expected}`),
          spans[head.span]!,
        );
      }
      inFlight.shift();
      yield { span: head.span, bytes };
      await fill();
    }
  } finally {
    // Failed, or the consumer stopped: end every request still open before answering.
    for (const fetch of inFlight) fetch.controller.abort();
    await Promise.allSettled(inFlight.map((fetch) => fetch.body));
  }
}

/** The object's size from `bytes a-b/size`; a reply without one stands for the whole object. */
function totalOf(contentRange: string | undefined, from: number): number {
  const total = /\/(\d+)$/.exec(contentRange ?? '')?.[1];
  if (total === undefined) throw new Error(`S3 answered a ranged read from ${from} without its size`);
  return Number(total);
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
