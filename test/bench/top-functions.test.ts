import { describe, expect, it } from 'vitest';
import { functionLocator } from '../../bench/profile/locate.js';
import { topFunctions } from '../../bench/profile/top-functions.js';

const frame = (id: number, functionName: string, url = 'file:///x/bundle.mjs') => ({
  id,
  callFrame: { functionName, url, lineNumber: id },
});

describe('topFunctions', () => {
  const profile = {
    nodes: [frame(1, 'parse'), frame(2, 'encode'), frame(3, 'parse'), frame(4, '', '')],
    // Node 3 is another call site of parse at a different line: counted apart from node 1.
    samples: [1, 1, 2, 3, 4, 1],
    timeDeltas: [1000, 1000, 2000, 500, 500, 1000],
  };

  it.each([
    { limit: 1, want: [{ name: 'parse', selfMs: 3, share: 0.5 }] },
    {
      limit: 3,
      want: [
        { name: 'parse', selfMs: 3, share: 0.5 },
        { name: 'encode', selfMs: 2, share: 2 / 6 },
        { name: 'parse', selfMs: 0.5, share: 0.5 / 6 },
      ],
    },
  ])('ranks functions by self time, keeping the first $limit', ({ limit, want }) => {
    expect(topFunctions(profile, limit)).toMatchObject(want);
  });

  it('names samples without a function as anonymous native frames', () => {
    expect(topFunctions(profile, 10).find((f) => f.where === '(native)')).toMatchObject({
      name: '(anonymous)',
    });
  });
});

describe('functionLocator', () => {
  const locate = functionLocator();

  it.each([
    { name: 'encodeSplit', want: 'functions/core/arrow/encode.ts' },
    { name: 'fisherYates', want: 'functions/core/split/prng.ts' },
    { name: 'noSuchFunctionAnywhere', want: undefined },
    { name: '(garbage collector)', want: undefined },
  ])('finds $name in $want', ({ name, want }) => {
    expect(locate(name)).toBe(want);
  });
});
