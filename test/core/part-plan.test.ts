import { describe, expect, it } from 'vitest';
import { partCount, partSize, planPartBytes } from '../../functions/core/upload/part-plan.js';
import {
  MAX_MULTIPART_DATASET_BYTES,
  MAX_PART_BYTES,
  MIN_PART_BYTES,
  PLANNED_PARTS,
} from '../../schemas/uploads.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('planPartBytes', () => {
  it.each([
    [1, 64 * MiB, 1],
    [6 * GiB, 64 * MiB, 96],
    [100 * GiB, 128 * MiB, 800],
    [MAX_MULTIPART_DATASET_BYTES, 2 * GiB, 512],
  ])('plans %d bytes in parts of %d, %d of them', (bytes, part, count) => {
    expect(planPartBytes(bytes)).toBe(part);
    expect(partCount(bytes, part)).toBe(count);
  });

  it('honours a smaller requested part size while it keeps the count at or under the plan', () => {
    expect(planPartBytes(15 * MiB, MIN_PART_BYTES)).toBe(MIN_PART_BYTES);
    expect(planPartBytes(10 * GiB, MIN_PART_BYTES)).toBe(20 * MiB);
  });

  it('keeps every planned size within S3 part rules up to the largest dataset', () => {
    for (let bytes = MiB; bytes <= MAX_MULTIPART_DATASET_BYTES; bytes *= 3) {
      const part = planPartBytes(bytes);
      expect(part).toBeGreaterThanOrEqual(MIN_PART_BYTES);
      expect(part).toBeLessThanOrEqual(MAX_PART_BYTES);
      expect(partCount(bytes, part)).toBeLessThanOrEqual(PLANNED_PARTS);
    }
  });
});

describe('partSize', () => {
  it('gives full parts and a short last one that add up to the file', () => {
    const bytes = 2 * MIN_PART_BYTES + 7;
    const sizes = [1, 2, 3].map((n) => partSize(bytes, MIN_PART_BYTES, n));
    expect(sizes).toEqual([MIN_PART_BYTES, MIN_PART_BYTES, 7]);
    expect(partSize(bytes, MIN_PART_BYTES, 4)).toBe(0);
  });
});
