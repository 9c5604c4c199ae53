import { concatBytes } from '../concat-bytes.js';
import { IDENTITY_BYTES } from './row-identity.js';

/**
 * A parent's identities (rows of each split, with repeats) sorted once, so each row of a new
 * dataset is looked up by binary search on the first 8 bytes and confirmed on all 32. Typed
 * arrays instead of a Map of strings: a million-row parent costs tens of megabytes, not a
 * million heap strings.
 */
export class IdentityIndex {
  readonly #all: Uint8Array;
  /** Split of each parent row, in concatenated order (train rows, then validation, then test). */
  readonly #split: Uint8Array;
  /** Parent rows in ascending identity order. */
  readonly #order: Uint32Array;
  /** Per distinct identity: its first 8 bytes, its first position in #order, the splits holding it. */
  readonly #hi: Uint32Array;
  readonly #lo: Uint32Array;
  readonly #first: Uint32Array;
  readonly #mask: Uint8Array;
  readonly #seen: Uint8Array;
  readonly #distinct: number;

  /** `parts[k]`: the identities (rows × 32 bytes) of split k's rows. */
  constructor(parts: readonly Uint8Array[]) {
    this.#all = concatBytes(parts);
    const total = this.#all.length / IDENTITY_BYTES;
    this.#split = new Uint8Array(total);
    let at = 0;
    parts.forEach((part, k) => {
      const rows = part.length / IDENTITY_BYTES;
      this.#split.fill(k, at, at + rows);
      at += rows;
    });
    const view = new DataView(this.#all.buffer, this.#all.byteOffset, this.#all.byteLength);
    const hi = new Uint32Array(total);
    const lo = new Uint32Array(total);
    for (let r = 0; r < total; r++) {
      hi[r] = view.getUint32(r * IDENTITY_BYTES, false);
      lo[r] = view.getUint32(r * IDENTITY_BYTES + 4, false);
    }
    this.#order = new Uint32Array(total);
    for (let r = 0; r < total; r++) this.#order[r] = r;
    this.#order.sort((a, b) => hi[a]! - hi[b]! || lo[a]! - lo[b]! || this.#compareRows(a, b));
    this.#hi = new Uint32Array(total);
    this.#lo = new Uint32Array(total);
    this.#first = new Uint32Array(total);
    this.#mask = new Uint8Array(total);
    let u = -1;
    for (let p = 0; p < total; p++) {
      const r = this.#order[p]!;
      if (u < 0 || this.#compareRows(this.#order[this.#first[u]!]!, r) !== 0) {
        u += 1;
        this.#hi[u] = hi[r]!;
        this.#lo[u] = lo[r]!;
        this.#first[u] = p;
      }
      this.#mask[u]! |= 1 << this.#split[r]!;
    }
    this.#distinct = u + 1;
    this.#seen = new Uint8Array(this.#distinct);
  }

  #row(r: number): Uint8Array {
    return this.#all.subarray(r * IDENTITY_BYTES, (r + 1) * IDENTITY_BYTES);
  }

  #compareRows(a: number, b: number): number {
    return Buffer.compare(this.#row(a), this.#row(b));
  }

  /**
   * The splits (bit k for split k) whose rows hold identity `i` of `ids`, 0 when none does;
   * a found identity is marked seen for `unseenRows`.
   */
  lookup(ids: Uint8Array, view: DataView, i: number): number {
    const h = view.getUint32(i * IDENTITY_BYTES, false);
    const l = view.getUint32(i * IDENTITY_BYTES + 4, false);
    let low = 0;
    let high = this.#distinct;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#hi[mid]! < h || (this.#hi[mid] === h && this.#lo[mid]! < l)) low = mid + 1;
      else high = mid;
    }
    const id = ids.subarray(i * IDENTITY_BYTES, (i + 1) * IDENTITY_BYTES);
    for (let u = low; u < this.#distinct && this.#hi[u] === h && this.#lo[u] === l; u++) {
      if (Buffer.compare(this.#row(this.#order[this.#first[u]!]!), id) !== 0) continue;
      this.#seen[u] = 1;
      return this.#mask[u]!;
    }
    return 0;
  }

  /** Parent rows per split whose identity no lookup found: the rows a new dataset dropped. */
  unseenRows(): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    for (let u = 0; u < this.#distinct; u++) {
      if (this.#seen[u]) continue;
      const end = u + 1 < this.#distinct ? this.#first[u + 1]! : this.#order.length;
      for (let p = this.#first[u]!; p < end; p++) out[this.#split[this.#order[p]!]!]! += 1;
    }
    return out;
  }
}
