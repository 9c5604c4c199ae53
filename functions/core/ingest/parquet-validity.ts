import type { DecodeBudget } from './decode-budget.js';
import type { CArray } from './parquet-cdata.js';

/** Bitmap helpers and validity bookkeeping for the Parquet column sinks (parquet-columns.ts). */

export function bitOf(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** Copies `count` bits into a zeroed destination range; byte-aligned runs copy whole bytes. */
export function copyBits(dst: Uint8Array, at: number, src: Uint8Array, from: number, count: number): void {
  let i = 0;
  if ((at & 7) === 0 && (from & 7) === 0) {
    const whole = count >> 3;
    dst.set(src.subarray(from >> 3, (from >> 3) + whole), at >> 3);
    i = whole << 3;
  }
  for (; i < count; i++) {
    if (bitOf(src, from + i)) dst[(at + i) >> 3]! |= 1 << ((at + i) & 7);
  }
}

export function setBits(dst: Uint8Array, at: number, count: number): void {
  let i = at;
  const end = at + count;
  for (; i < end && (i & 7) !== 0; i++) dst[i >> 3]! |= 1 << (i & 7);
  const wholeEnd = i + ((end - i) & ~7);
  dst.fill(0xff, i >> 3, wholeEnd >> 3);
  for (i = wholeEnd; i < end; i++) dst[i >> 3]! |= 1 << (i & 7);
}

export function clearBits(dst: Uint8Array, at: number, count: number): void {
  for (let i = at; i < at + count; i++) dst[i >> 3]! &= ~(1 << (i & 7));
}

/**
 * Calls `run(start, end)` for each run of nulls among a batch's rows (indices relative to the
 * batch). Parquet stores nothing under a null, so what the decoder leaves there depends on its
 * batching (row group and batch boundaries); sinks overwrite those slots with zeros so a
 * column's bytes are a function of its values alone (docs/SPLIT-SPEC.md 1.8).
 */
export function forEachNullRun(
  memory: ArrayBuffer,
  batch: CArray,
  run: (start: number, end: number) => void,
): void {
  const addr = batch.buffers[0] ?? 0;
  if (addr === 0 || batch.nullCount === 0) return;
  const bits = memoryBits(memory, addr, batch.offset, batch.length);
  const from = batch.offset;
  let i = 0;
  while (i < batch.length) {
    const at = from + i;
    if ((at & 7) === 0 && i + 8 <= batch.length && bits[at >> 3] === 0xff) {
      i += 8;
    } else if (bitOf(bits, at)) {
      i++;
    } else {
      let end = i + 1;
      while (end < batch.length && !bitOf(bits, from + end)) end++;
      run(i, end);
      i = end;
    }
  }
}

export function memoryBits(memory: ArrayBuffer, addr: number, offset: number, length: number): Uint8Array {
  return new Uint8Array(memory, addr, (offset + length + 7) >> 3);
}

/**
 * Validity for one segment, allocated only once a batch carries a null: a column without
 * nulls keeps a null bitmap (as the batch-by-batch reader's flattening did).
 */
export class Validity {
  private bits: Uint8Array | null = null;
  private nulls = 0;
  private rows = 0;

  constructor(
    private capacity: number,
    private readonly budget: DecodeBudget,
    private readonly what: string,
  ) {}

  append(memory: ArrayBuffer, batch: CArray): void {
    const addr = batch.buffers[0] ?? 0;
    if (addr !== 0 && batch.nullCount !== 0) {
      if (!this.bits) {
        this.budget.take((this.capacity + 7) >> 3, this.what);
        this.bits = new Uint8Array((this.capacity + 7) >> 3);
        setBits(this.bits, 0, this.rows);
      }
      copyBits(
        this.bits,
        this.rows,
        memoryBits(memory, addr, batch.offset, batch.length),
        batch.offset,
        batch.length,
      );
      this.nulls += batch.nullCount > 0 ? batch.nullCount : this.countNulls(this.rows, batch.length);
    } else if (this.bits) {
      setBits(this.bits, this.rows, batch.length);
    }
    this.rows += batch.length;
  }

  private countNulls(at: number, count: number): number {
    let nulls = 0;
    for (let i = at; i < at + count; i++) if (!bitOf(this.bits!, i)) nulls++;
    return nulls;
  }

  /** [nullCount, bitmap or undefined]; resets for the next segment. */
  seal(nextCapacity: number): [number, Uint8Array | undefined] {
    const out: [number, Uint8Array | undefined] = [
      this.nulls,
      this.bits && this.nulls > 0 ? this.bits.subarray(0, (this.rows + 7) >> 3) : undefined,
    ];
    this.bits = null;
    this.nulls = 0;
    this.rows = 0;
    this.capacity = nextCapacity;
    return out;
  }
}
