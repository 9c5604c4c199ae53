import { describe, expect, it } from 'vitest';
import { splitCounts } from '../../../functions/core/split/counts.js';

describe('splitCounts (largest remainder)', () => {
  it.each([
    [10, [0.8, 0.1, 0.1], [8, 1, 1]],
    [10, [0.7, 0.2, 0.1], [7, 2, 1]],
    [7, [0.5, 0.25, 0.25], [3, 2, 2]],
    [3, [1 / 3, 1 / 3, 1 / 3], [1, 1, 1]],
    [4, [1 / 3, 1 / 3, 1 / 3], [2, 1, 1]],
    [5, [1 / 3, 1 / 3, 1 / 3], [2, 2, 1]],
    [1, [0.5, 0, 0.5], [1, 0, 0]],
    [11, [0.5, 0, 0.5], [6, 0, 5]],
    [9, [0.15, 0.7, 0.15], [2, 6, 1]],
    [1, [0, 0, 1], [0, 0, 1]],
    [100, [1, 0, 0], [100, 0, 0]],
    [1000003, [0.8, 0.1, 0.1], [800003, 100000, 100000]],
  ])('splits %i rows with ratios %j into %j', (n, [train, validation, test], expected) => {
    expect(splitCounts(n, { train: train!, validation: validation!, test: test! })).toEqual(expected);
  });

  it.each([0, 1, 2, 5, 17, 999])('never assigns a row to a zero-ratio split (n = %i)', (n) => {
    const [, validation] = splitCounts(n, { train: 0.3, validation: 0, test: 0.7 });
    expect(validation).toBe(0);
  });
});
