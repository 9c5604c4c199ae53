/**
 * SHA-256 (FIPS 180-4) of short messages, in JavaScript: the Merkle tree hashes one 33-byte
 * leaf and one 65-byte node per identity, and node's crypto.hash costs about 0.7 µs a call
 * whatever the length, most of it the call itself; this costs about a third of that for one
 * block. Bytes are those of any SHA-256 (tested against node:crypto).
 */

const K = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ],
  (k) => k | 0,
);
const IV = Int32Array.from(
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  (k) => k | 0,
);

/** The longest message that pads into two blocks. */
export const MAX_SMALL_MESSAGE = 119;

const W = new Int32Array(64);
const H = new Int32Array(8);
const PADDED = new Uint8Array(128);

/** One compression of the block PADDED[at, at + 64) into H. */
function compress(at: number): void {
  for (let t = 0; t < 16; t++) {
    const p = at + 4 * t;
    W[t] = (PADDED[p]! << 24) | (PADDED[p + 1]! << 16) | (PADDED[p + 2]! << 8) | PADDED[p + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15]!;
    const y = W[t - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/**
 * Writes SHA-256(message[at, at + length)) to out[outAt, outAt + 32); length at most
 * MAX_SMALL_MESSAGE (one or two blocks once padded).
 */
export function sha256Small(
  message: Uint8Array,
  at: number,
  length: number,
  out: Uint8Array,
  outAt: number,
): void {
  if (length > MAX_SMALL_MESSAGE) throw new RangeError(`sha256Small takes at most 119 bytes, got ${length}`);
  const blocks = length <= 55 ? 1 : 2;
  const end = blocks * 64;
  for (let k = 0; k < length; k++) PADDED[k] = message[at + k]!;
  PADDED[length] = 0x80;
  for (let k = length + 1; k < end - 4; k++) PADDED[k] = 0;
  const bits = length * 8;
  PADDED[end - 4] = bits >>> 24;
  PADDED[end - 3] = (bits >>> 16) & 255;
  PADDED[end - 2] = (bits >>> 8) & 255;
  PADDED[end - 1] = bits & 255;
  H.set(IV);
  compress(0);
  if (blocks === 2) compress(64);
  for (let k = 0; k < 8; k++) {
    const v = H[k]!;
    out[outAt + 4 * k] = v >>> 24;
    out[outAt + 4 * k + 1] = (v >>> 16) & 255;
    out[outAt + 4 * k + 2] = (v >>> 8) & 255;
    out[outAt + 4 * k + 3] = v & 255;
  }
}
