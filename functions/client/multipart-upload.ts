/**
 * Sends a file through the multipart upload API: each part is hashed from disk, skipped when
 * the server already holds a part with that hash (resume), otherwise PUT to a URL that signs
 * its SHA-256, a few at a time, retried on failure. Memory stays bounded: parts are streamed
 * from the file twice (hash, then send), never held.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type * as z from 'zod';
import type { PartUrlsResponse, UploadPlanView, UploadStatusView } from '../../schemas/uploads.js';
import { partSize } from '../core/upload/part-plan.js';
import { uploadToPresigned } from './upload.js';

/** The calls of the upload API this needs (the client's own methods). */
export interface MultipartCalls {
  getUpload(id: string): Promise<z.output<typeof UploadStatusView>>;
  partUrls(
    id: string,
    parts: { number: number; sha256: string }[],
  ): Promise<z.output<typeof PartUrlsResponse>>;
  /** Resolves a URL the service handed out against the client's base URL. */
  resolve(url: string): string;
}

export interface MultipartSendOptions {
  /** Parts in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Attempts per part before the upload fails. @default 4 */
  readonly attempts?: number;
  /** Before attempt n+1, wait retryDelayMs × 2^(n-1). @default 500 */
  readonly retryDelayMs?: number;
  /** Bytes sent or found already staged so far. */
  readonly onProgress?: (bytes: number) => void;
}

/** What a send did: parts sent now, and parts skipped because the server already held them. */
export interface MultipartSendResult {
  readonly sent: number;
  readonly skipped: number;
}

/** Sends every part of `file` the server lacks; call the complete route after. */
export async function sendParts(
  calls: MultipartCalls,
  plan: z.output<typeof UploadPlanView>,
  file: string,
  options: MultipartSendOptions = {},
): Promise<MultipartSendResult> {
  const staged = new Map((await calls.getUpload(plan.id)).parts.map((p) => [p.number, p.sha256]));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  // Bytes of finished parts, plus those of the (at most `concurrency`) parts in flight.
  let finished = 0;
  const inFlight = new Map<number, number>();
  const report = () => {
    let total = finished;
    for (const sent of inFlight.values()) total += sent;
    options.onProgress?.(total);
  };
  const result = { sent: 0, skipped: 0 };
  let next = 1;
  const worker = async () => {
    for (let number = next++; number <= plan.partCount; number = next++) {
      const start = (number - 1) * plan.partBytes;
      const bytes = partSize(plan.bytes, plan.partBytes, number);
      const range = { start, end: start + bytes - 1 };
      const sha256 = await hashRange(file, range);
      if (staged.get(number) === sha256) {
        result.skipped++;
      } else {
        await withRetries(options, async () => {
          inFlight.set(number, 0);
          const [url] = (await calls.partUrls(plan.id, [{ number, sha256 }])).parts;
          const target = { ...url!, url: calls.resolve(url!.url) };
          await uploadToPresigned(target, createReadStream(file, range), bytes, (sent) => {
            inFlight.set(number, sent);
            report();
          });
        });
        result.sent++;
      }
      inFlight.delete(number);
      finished += bytes;
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.partCount) }, worker));
  return result;
}

async function hashRange(file: string, range: { start: number; end: number }): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { ...range, highWaterMark: 1024 * 1024 }))
    hash.update(chunk);
  return hash.digest('hex');
}

async function withRetries(options: MultipartSendOptions, attempt: () => Promise<void>): Promise<void> {
  const attempts = Math.max(1, options.attempts ?? 4);
  const delay = options.retryDelayMs ?? 500;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      // A 4xx other than a timeout is the request's fault: sending it again can't help.
      const status = (error as { status?: number }).status;
      const final = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (final || n >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay * 2 ** (n - 1)));
    }
  }
}
