/** One manifest reached while walking lineage, and how many edges away it is. */
export interface LineageNode {
  readonly id: string;
  readonly depth: number;
}

/**
 * Breadth-first walk along one direction of the lineage graph, bounded by depth; each
 * manifest is reported once, at its shortest distance, so diamonds and cycles terminate.
 */
export async function walkLineage(
  start: string,
  maxDepth: number,
  next: (id: string) => Promise<readonly string[]>,
): Promise<LineageNode[]> {
  const seen = new Set([start]);
  const found: LineageNode[] = [];
  let frontier = [start];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth += 1) {
    const neighbours = (await Promise.all(frontier.map(next))).flat();
    frontier = [];
    for (const id of neighbours) {
      if (seen.has(id)) continue;
      seen.add(id);
      found.push({ id, depth });
      frontier.push(id);
    }
  }
  return found;
}
