/** One page of a listing, as every cursor-paged route answers. */
export interface PageOf<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

// The server caps a page at 100 items.
const MAX_PAGE = 100;

/**
 * Follows cursors until `limit` items are in hand or the listing ends, so a CLI listing shows
 * everything rather than the first page. The returned cursor (if any) resumes after them.
 */
export async function collectPages<T>(
  fetchPage: (page: { limit: number; cursor?: string }) => Promise<PageOf<T>>,
  limit = Number.POSITIVE_INFINITY,
): Promise<PageOf<T>> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage({
      limit: Math.min(MAX_PAGE, limit - items.length),
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && items.length < limit);
  return cursor === undefined ? { items } : { items, cursor };
}
