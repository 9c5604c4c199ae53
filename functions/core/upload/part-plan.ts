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
import { ConflictError, ValidationError } from '../errors.js';

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

/**
 * The staged parts of `plan` in part order, each checked present at its planned size, so both
 * backends assemble only a whole upload and refuse an incomplete one in the same words.
 * `staged` maps part numbers to parts; `sizeOf` reads a part's size.
 * @throws ConflictError UPLOAD.PART_MISSING naming the first part absent or of the wrong size
 * (the upload stays, so the client can send that part)
 */
export function requireAllParts<P>(
  plan: {
    readonly id: string;
    readonly bytes: number;
    readonly partBytes: number;
    readonly partCount: number;
  },
  staged: ReadonlyMap<number | undefined, P>,
  sizeOf: (part: P) => number | undefined,
): P[] {
  const parts: P[] = [];
  for (let number = 1; number <= plan.partCount; number++) {
    const part = staged.get(number);
    const expected = partSize(plan.bytes, plan.partBytes, number);
    if (part === undefined || sizeOf(part) !== expected) {
      throw new ConflictError(
        'UPLOAD.PART_MISSING',
        `upload ${plan.id} lacks part ${number} (${expected} bytes)`,
        {
          details: { part: number },
        },
      );
    }
    parts.push(part);
  }
  return parts;
}

/** The refusal of parts whose assembled bytes are not the dataset: no retry can fix them. */
export function assembledMismatch(sha256: string, cause: unknown): ValidationError {
  return new ValidationError('UPLOAD.HASH_MISMATCH', `the assembled parts do not hash to ${sha256}`, {
    cause,
  });
}
