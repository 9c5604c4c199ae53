import { describe, expect, it } from 'vitest';
import { needsShards } from '../../functions/jobs/freeze-sharded.js';
import { csv } from '../reliability/support/seed.js';

/**
 * test/reliability/sharded-freeze.test.ts says "A budget far below the dataset's size: every
 * freeze takes the sharded path", with a 256 KiB budget and csv(3_000, 5). That dataset is
 * 28,638 bytes; the sharded path starts at a quarter of the budget (65,536 bytes), so every
 * freeze there runs in one process, and its checks (same bytes as one process, no scratch file
 * left, a parse error leaves no scratch file) pass whatever the sharded engine does.
 */
describe('the reliability suite for sharded freezes', () => {
  it('freezes a dataset large enough to take the sharded path under its own budget', () => {
    const data = csv(3_000, 5);
    expect(needsShards(data.bytes.byteLength, 256 * 1024)).toBe(true);
  });

  it('freezes an unparseable dataset large enough to take the sharded path under its own budget', () => {
    const bad = new TextEncoder().encode('a,b\n1,"unterminated\n');
    expect(needsShards(bad.byteLength, 256 * 1024)).toBe(true);
  });
});
