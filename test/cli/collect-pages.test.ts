import { describe, expect, it } from 'vitest';
import { collectPages, type PageOf } from '../../functions/cli/collect-pages.js';

/** A listing of `total` numbers served like the API does: pages of at most 100, numeric cursors. */
function listing(total: number) {
  const requests: { limit: number; cursor?: string }[] = [];
  const fetchPage = async (page: { limit: number; cursor?: string }): Promise<PageOf<number>> => {
    requests.push(page);
    const start = Number(page.cursor ?? 0);
    const end = Math.min(total, start + Math.min(page.limit, 100));
    const items = Array.from({ length: end - start }, (_, i) => start + i);
    return end < total ? { items, cursor: String(end) } : { items };
  };
  return { fetchPage, requests };
}

describe('collectPages', () => {
  it.each([
    ['an empty listing', 0, undefined, 0, false, 1],
    ['a listing smaller than one page', 42, undefined, 42, false, 1],
    ['a listing of several pages', 250, undefined, 250, false, 3],
    ['a limit inside the first page', 250, 30, 30, true, 1],
    ['a limit across pages', 250, 150, 150, true, 2],
    ['a limit beyond the end', 120, 500, 120, false, 2],
  ])('gathers %s', async (_case, total, limit, count, hasCursor, calls) => {
    const { fetchPage, requests } = listing(total);
    const page = await collectPages(fetchPage, limit);
    expect(page.items).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(page.cursor !== undefined).toBe(hasCursor);
    expect(requests).toHaveLength(calls);
    expect(requests.every((r) => r.limit >= 1 && r.limit <= 100)).toBe(true);
  });
});
