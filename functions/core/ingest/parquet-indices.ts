/**
 * The exact value bytes a dictionary-encoded data page refers to, from its indices: the
 * RLE/bit-packed hybrid stream (parquet-format Encodings.md) after a one-byte bit width, and
 * for optional columns the definition levels before it (which say how many indices there are).
 * Only run when a page's rows × longest value is large, since it decompresses the page in JS.
 */

/** Widest index this reads: 24 bits keep the bit buffer within 32-bit integer operations. */
const MAX_BIT_WIDTH = 24;

/**
 * Sums `weights[v]` over the first `count` values v of a hybrid stream of `width`-bit values
 * in `data` from `at`, or null when the stream holds fewer values, a value has no weight, or
 * the width is past MAX_BIT_WIDTH.
 */
export function hybridSum(
  data: Uint8Array,
  at: number,
  width: number,
  count: number,
  weights: Int32Array,
): number | null {
  if (width > MAX_BIT_WIDTH) return null;
  const mask = width === 0 ? 0 : 2 ** width - 1;
  let left = count;
  let sum = 0;
  while (left > 0) {
    let header = 0;
    for (let scale = 1; ; scale *= 128) {
      if (at >= data.length || scale > 2 ** 35) return null;
      const b = data[at++]!;
      header += (b & 0x7f) * scale;
      if (b < 0x80) break;
    }
    const n = Math.floor(header / 2);
    if (header % 2 === 0) {
      // An RLE run: one value, stored in whole bytes.
      let value = 0;
      for (let i = 0; i < Math.ceil(width / 8); i++) value += (data[at++] ?? 0) * 2 ** (8 * i);
      const weight = weights[value];
      if (weight === undefined || at > data.length) return null;
      const take = Math.min(n, left);
      sum += take * weight;
      left -= take;
      continue;
    }
    // n groups of 8 bit-packed values, least significant bit first.
    const end = at + n * width;
    if (end > data.length) return null;
    let buffer = 0;
    let bits = 0;
    for (let i = 0; i < n * 8 && left > 0; i++) {
      while (bits < width) {
        buffer |= data[at++]! << bits;
        bits += 8;
      }
      const weight = weights[buffer & mask];
      if (weight === undefined) return null;
      sum += weight;
      buffer >>>= width;
      bits -= width;
      left--;
    }
    at = end;
  }
  return sum;
}

const PRESENT = Int32Array.of(0, 1);

/**
 * The non-null rows among `count` definition levels of a flat optional column (bit width 1),
 * RLE-encoded from `at` for `length` bytes; null when they don't decode to `count` levels.
 */
export function presentRows(data: Uint8Array, at: number, length: number, count: number): number | null {
  if (at + length > data.length) return null;
  return hybridSum(data.subarray(0, at + length), at, 1, count, PRESENT);
}

/** The bytes `count` dictionary indices from `at` refer to (bit width byte first), or null. */
export function indexedBytes(
  data: Uint8Array,
  at: number,
  count: number,
  lengths: Int32Array,
): number | null {
  if (count === 0) return 0;
  if (at >= data.length) return null;
  return hybridSum(data, at + 1, data[at]!, count, lengths);
}

function uleb(data: Uint8Array, start: number): [number, number] | null {
  let value = 0;
  let at = start;
  for (let scale = 1; ; scale *= 128) {
    if (at >= data.length || scale > 2 ** 49) return null;
    const b = data[at++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, at];
  }
}

const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/**
 * The sum of `count` DELTA_BINARY_PACKED integers from `at` (DELTA_BYTE_ARRAY's prefix
 * lengths) and where they end; null when they don't decode to `count` non-negative values or
 * a miniblock is wider than MAX_BIT_WIDTH.
 */
export function deltaSum(
  data: Uint8Array,
  start: number,
  count: number,
): { sum: number; end: number } | null {
  const header: number[] = [];
  let at = start;
  for (let i = 0; i < 4; i++) {
    const read = uleb(data, at);
    if (!read) return null;
    header.push(read[0]);
    at = read[1];
  }
  const [blockSize, miniblocks, total, first] = header as [number, number, number, number];
  if (total !== count || miniblocks === 0 || blockSize % (miniblocks * 8) !== 0) return null;
  if (total === 0) return { sum: 0, end: at };
  const perMini = blockSize / miniblocks;
  let value = unzigzag(first);
  if (value < 0) return null;
  let sum = value;
  let left = total - 1;
  while (left > 0) {
    const read = uleb(data, at);
    if (!read || read[1] + miniblocks > data.length) return null;
    const minDelta = unzigzag(read[0]);
    const widths = data.subarray(read[1], read[1] + miniblocks);
    at = read[1] + miniblocks;
    for (let m = 0; m < miniblocks && left > 0; m++) {
      const width = widths[m]!;
      const end = at + (perMini * width) / 8;
      if (width > MAX_BIT_WIDTH || end > data.length) return null;
      let buffer = 0;
      let bits = 0;
      for (let i = 0; i < perMini && left > 0; i++) {
        while (bits < width) {
          buffer |= data[at++]! << bits;
          bits += 8;
        }
        value += minDelta + (width === 0 ? 0 : buffer & (2 ** width - 1));
        if (value < 0) return null;
        sum += value;
        buffer >>>= width;
        bits -= width;
        left--;
      }
      at = end;
    }
  }
  return { sum, end: at };
}
