/**
 * Visits every item of several sorted runs once, in merged order; equal items go in run order,
 * so a merge of shards in shard order is stable (an earlier shard's row comes first).
 * A binary heap of the runs' heads: O(items · log runs) comparisons, O(runs) memory.
 */
export function mergeRuns(
  lengths: readonly number[],
  compare: (a: number, i: number, b: number, j: number) => number,
  visit: (run: number, i: number) => void,
): void {
  const pos = new Float64Array(lengths.length);
  const heap: number[] = [];
  const before = (x: number, y: number): boolean => {
    const c = compare(x, pos[x]!, y, pos[y]!);
    return c < 0 || (c === 0 && x < y);
  };
  const down = (from: number): void => {
    let at = from;
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let best = at;
      if (l < heap.length && before(heap[l]!, heap[best]!)) best = l;
      if (r < heap.length && before(heap[r]!, heap[best]!)) best = r;
      if (best === at) return;
      [heap[at], heap[best]] = [heap[best]!, heap[at]!];
      at = best;
    }
  };
  lengths.forEach((len, run) => {
    if (len > 0) heap.push(run);
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const run = heap[0]!;
    visit(run, pos[run]!);
    pos[run]! += 1;
    if (pos[run]! === lengths[run]!) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
  }
}
