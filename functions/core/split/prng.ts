import { createHash } from 'node:crypto';

/**
 * splitmix64 over 32-bit halves, so that 10M draws cost no BigInt allocations. A Python
 * reimplementation needs only `(x * C) & (2**64 - 1)`; docs/SPLIT-SPEC.md §2.1 gives vectors.
 */
export interface Prng {
  /** The next full 64-bit output as [high 32 bits, low 32 bits], both unsigned. */
  next64(): [number, number];
  /** The high 32 bits of the next output. */
  nextU32(): number;
  /** An unbiased integer in [0, bound) for 1 <= bound <= 2^32, by rejection sampling. */
  below(bound: number): number;
}

const TWO_32 = 4294967296;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers. */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** A splitmix64 generator whose state starts at the 64-bit value hi:lo. */
export function splitmix64(stateHi: number, stateLo: number): Prng {
  let sh = stateHi >>> 0;
  let sl = stateLo >>> 0;
  let zh = 0;
  let zl = 0;
  const step = (): void => {
    // state += 0x9E3779B97F4A7C15 (mod 2^64)
    const lo = sl + 0x7f4a7c15;
    sl = lo >>> 0;
    sh = (sh + 0x9e3779b9 + (lo >= TWO_32 ? 1 : 0)) >>> 0;
    // z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    let xl = (sl ^ ((sl >>> 30) | (sh << 2))) >>> 0;
    let xh = (sh ^ (sh >>> 30)) >>> 0;
    let ml = Math.imul(xl, 0x1ce4e5b9) >>> 0;
    let mh = (mulHi32(xl, 0x1ce4e5b9) + Math.imul(xl, 0xbf58476d) + Math.imul(xh, 0x1ce4e5b9)) >>> 0;
    // z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    xl = (ml ^ ((ml >>> 27) | (mh << 5))) >>> 0;
    xh = (mh ^ (mh >>> 27)) >>> 0;
    ml = Math.imul(xl, 0x133111eb) >>> 0;
    mh = (mulHi32(xl, 0x133111eb) + Math.imul(xl, 0x94d049bb) + Math.imul(xh, 0x133111eb)) >>> 0;
    // z ^ (z >> 31)
    zl = (ml ^ ((ml >>> 31) | (mh << 1))) >>> 0;
    zh = (mh ^ (mh >>> 31)) >>> 0;
  };
  const nextU32 = (): number => {
    step();
    return zh;
  };
  return {
    next64: () => {
      step();
      return [zh, zl];
    },
    nextU32,
    below: (bound) => {
      // Largest multiple of bound that fits in 2^32: draws at or above it are rejected.
      const limit = TWO_32 - (TWO_32 % bound);
      for (;;) {
        const x = nextU32();
        if (x < limit) return x % bound;
      }
    },
  };
}

/**
 * The generator for one purpose ("random", "stratified", "group", "shuffle/train", ...).
 * Hashing the purpose into the start state keeps the streams unrelated to each other, which
 * an additive offset on the seed would not.
 */
export function streamFor(seed: number, purpose: string): Prng {
  const digest = createHash('sha256').update(`split-v1/${purpose}/${seed}`, 'utf8').digest();
  return splitmix64(digest.readUInt32BE(0), digest.readUInt32BE(4));
}

/** In-place Fisher–Yates from the last element down, drawing j uniformly in [0, i]. */
export function fisherYates(items: Uint32Array, prng: Prng): Uint32Array {
  for (let i = items.length - 1; i > 0; i--) {
    const j = prng.below(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}
