/**
 * How a multipart upload is cut into parts. Pure, so the API, both backends and the client
 * agree on every part's size from (bytes, partBytes) alone.
 */
import {
  DEFAULT_PART_BYTES,
  MAX_PART_BYTES,
  MAX_PARTS,
  MIN_PART_BYTES,
  PLANNED_PARTS,
} from '../../../schemas/uploads.js';
import { ValidationError } from '../errors.js';

/**
 * The part size for `bytes`: the requested size (else 64 MiB), doubled until the upload has
 * at most 1,000 parts, so a client's retries and part-URL calls stay few and S3's 10,000 is
 * never near. Never below 5 MiB or above 5 GiB.
 */
export function planPartBytes(bytes: number, requested?: number): number {
  let part = Math.max(requested ?? DEFAULT_PART_BYTES, MIN_PART_BYTES);
  while (Math.ceil(bytes / part) > PLANNED_PARTS && part * 2 <= MAX_PART_BYTES) part *= 2;
  if (part > MAX_PART_BYTES || Math.ceil(bytes / part) > MAX_PARTS) {
    throw new RangeError(
      `${bytes} bytes can't be cut into at most ${MAX_PARTS} parts of at most ${MAX_PART_BYTES}`,
    );
  }
  return part;
}

/** How many parts an upload of `bytes` has. */
export function partCount(bytes: number, partBytes: number): number {
  return Math.max(1, Math.ceil(bytes / partBytes));
}

/** The size of part `number` (1-based); every part is full but the last. */
export function partSize(bytes: number, partBytes: number, number: number): number {
  const count = partCount(bytes, partBytes);
  if (!Number.isInteger(number) || number < 1 || number > count) return 0;
  return number < count ? partBytes : bytes - partBytes * (count - 1);
}

/** The size of part `number` of `plan`; a number outside 1 … partCount is UPLOAD.NO_SUCH_PART. */
export function existingPartSize(
  plan: {
    readonly id: string;
    readonly bytes: number;
    readonly partBytes: number;
    readonly partCount: number;
  },
  number: number,
): number {
  const bytes = partSize(plan.bytes, plan.partBytes, number);
  if (bytes === 0) {
    throw new ValidationError(
      'UPLOAD.NO_SUCH_PART',
      `upload ${plan.id} has parts 1 to ${plan.partCount}, not ${number}`,
    );
  }
  return bytes;
}
