/**
 * A list of byte strings stored as one buffer: item i is data[start(i), ends[i]), start(0) = 0
 * and start(i) = ends[i − 1]. Two typed arrays, so it crosses worker_threads by structured
 * clone and serializes to bytes without a per-item object.
 */
export interface ByteList {
  readonly data: Uint8Array;
  /** End offset of each item; Float64Array only when the bytes pass 2^32 − 1. */
  readonly ends: Uint32Array | Float64Array;
}

const UINT32_LIMIT = 4294967295;

/** Offsets wide enough for `total` bytes. */
function endsFor(count: number, total: number): Uint32Array | Float64Array {
  return total > UINT32_LIMIT ? new Float64Array(count) : new Uint32Array(count);
}

/** Items given as latin1 byte strings (the form keys take, §2.3), one char per byte. */
export function byteListOfLatin1(items: readonly string[]): ByteList {
  let total = 0;
  for (const s of items) total += s.length;
  const data = new Uint8Array(total);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const ends = endsFor(items.length, total);
  let at = 0;
  items.forEach((s, i) => {
    at += buf.write(s, at, 'latin1');
    ends[i] = at;
  });
  return { data, ends };
}

/** Items given as ranges of a buffer: item i is source[starts[i], ends[i]), copied. */
export function byteListOfRanges(
  source: Uint8Array,
  starts: ArrayLike<number>,
  stops: ArrayLike<number>,
  count: number,
): ByteList {
  let total = 0;
  for (let i = 0; i < count; i++) total += stops[i]! - starts[i]!;
  const data = new Uint8Array(total);
  const ends = endsFor(count, total);
  let at = 0;
  for (let i = 0; i < count; i++) {
    data.set(source.subarray(starts[i]!, stops[i]!), at);
    at += stops[i]! - starts[i]!;
    ends[i] = at;
  }
  return { data, ends };
}

export function itemCount(list: ByteList): number {
  return list.ends.length;
}

/** Item i as a latin1 byte string. */
export function latin1At(list: ByteList, i: number): string {
  const start = i === 0 ? 0 : list.ends[i - 1]!;
  return Buffer.from(list.data.buffer, list.data.byteOffset + start, list.ends[i]! - start).toString(
    'latin1',
  );
}

/**
 * Bytewise comparison of item i of list a with item j of list b (as Python compares bytes):
 * the order keys and utf8 order values take in split-v1. A plain loop: keys are short, and a
 * call into Buffer.compare costs more than comparing a few bytes here.
 */
export function itemComparator(
  lists: readonly ByteList[],
): (a: number, i: number, b: number, j: number) => number {
  const data = lists.map((l) => l.data);
  const ends = lists.map((l) => l.ends);
  return (a, i, b, j) => {
    const ea = ends[a]!;
    const eb = ends[b]!;
    const da = data[a]!;
    const db = data[b]!;
    const sa = i === 0 ? 0 : ea[i - 1]!;
    const sb = j === 0 ? 0 : eb[j - 1]!;
    const la = ea[i]! - sa;
    const lb = eb[j]! - sb;
    const m = Math.min(la, lb);
    for (let k = 0; k < m; k++) {
      const d = da[sa + k]! - db[sb + k]!;
      if (d !== 0) return d;
    }
    return la - lb;
  };
}
