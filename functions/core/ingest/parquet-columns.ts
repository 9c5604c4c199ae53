import { Data, type DataType, Type } from 'apache-arrow';
import { flatKind } from '../arrow/flat-column.js';
import type { DecodeBudget } from './decode-budget.js';
import type { CArray } from './parquet-cdata.js';
import { clearBits, copyBits, forEachNullRun, memoryBits, Validity } from './parquet-validity.js';

/**
 * Appends decoded batches of one column into buffers sized for the whole file, so the table
 * ends up with one chunk per column that flattening can view instead of copy. Rows are appended
 * in order; `seal` closes the current segment (one RecordBatch's worth of rows) and `restart`
 * opens the next. There is more than one segment only when a 32-bit-offset column would pass
 * 2 GiB of data in one. Every buffer a sink allocates is first taken from the freeze's decode
 * budget, so a dataset over budget is refused before its columns are allocated.
 */
export interface ColumnSink {
  /** False when this batch no longer fits the current segment (32-bit offsets would overflow). */
  fits(memory: ArrayBuffer, batch: CArray): boolean;
  append(memory: ArrayBuffer, batch: CArray): void;
  /** The current segment's rows as one Data of the column's type. */
  seal(): Data;
  /** Starts a segment that may hold up to `rows` more rows. */
  restart(rows: number): void;
}

/** Largest data buffer that 32-bit offsets can address. */
export const MAX_INT32_DATA = 2 ** 31 - 1;

function tooMany(): Error {
  return new Error('a row group holds more rows than the file metadata declares');
}

/**
 * Fixed-width values go into one buffer for the whole file, exactly sized; a segment is a view
 * of its rows. The typed array class is the type's own, as the IPC reader would pick.
 */
class FixedSink implements ColumnSink {
  private readonly bytes: Uint8Array;
  private readonly width: number;
  private readonly stride: number;
  private start = 0;
  private rows = 0;
  private validity: Validity;

  constructor(
    private readonly type: DataType,
    private readonly total: number,
    budget: DecodeBudget,
    what: string,
  ) {
    this.stride = new Data(type, 0, 0).stride;
    this.width = type.ArrayType.BYTES_PER_ELEMENT * this.stride;
    budget.take(total * this.width, what);
    this.bytes = new Uint8Array(total * this.width);
    this.validity = new Validity(total, budget, what);
  }

  fits(): boolean {
    return true;
  }

  append(memory: ArrayBuffer, batch: CArray): void {
    const at = this.start + this.rows;
    if (at + batch.length > this.total) throw tooMany();
    const from = (batch.buffers[1] ?? 0) + batch.offset * this.width;
    this.bytes.set(new Uint8Array(memory, from, batch.length * this.width), at * this.width);
    forEachNullRun(memory, batch, (start, end) =>
      this.bytes.fill(0, (at + start) * this.width, (at + end) * this.width),
    );
    this.validity.append(memory, batch);
    this.rows += batch.length;
  }

  seal(): Data {
    const values = new this.type.ArrayType(
      this.bytes.buffer,
      this.start * this.width,
      this.rows * this.stride,
    );
    const [nullCount, nullBitmap] = this.validity.seal(this.total - this.start - this.rows);
    return new Data(this.type, 0, this.rows, nullCount, [undefined, values, nullBitmap]);
  }

  restart(): void {
    this.start += this.rows;
    this.rows = 0;
  }
}

class BoolSink implements ColumnSink {
  private bits: Uint8Array;
  private rows = 0;
  private validity: Validity;

  constructor(
    private readonly type: DataType,
    private capacity: number,
    private readonly budget: DecodeBudget,
    private readonly what: string,
  ) {
    budget.take((capacity + 7) >> 3, what);
    this.bits = new Uint8Array((capacity + 7) >> 3);
    this.validity = new Validity(capacity, budget, what);
  }

  fits(): boolean {
    return true;
  }

  append(memory: ArrayBuffer, batch: CArray): void {
    if (this.rows + batch.length > this.capacity) throw tooMany();
    const src = memoryBits(memory, batch.buffers[1] ?? 0, batch.offset, batch.length);
    copyBits(this.bits, this.rows, src, batch.offset, batch.length);
    forEachNullRun(memory, batch, (start, end) => clearBits(this.bits, this.rows + start, end - start));
    this.validity.append(memory, batch);
    this.rows += batch.length;
  }

  seal(): Data {
    const values = this.bits.subarray(0, (this.rows + 7) >> 3);
    const [nullCount, nullBitmap] = this.validity.seal(this.capacity - this.rows);
    return new Data(this.type, 0, this.rows, nullCount, [undefined, values, nullBitmap]);
  }

  restart(rows: number): void {
    this.capacity = rows;
    this.budget.take((rows + 7) >> 3, this.what);
    this.bits = new Uint8Array((rows + 7) >> 3);
    this.rows = 0;
  }
}

/**
 * Utf8 and binary: offsets sized for the segment, data grown geometrically from a size hint
 * (the column chunks' uncompressed sizes) and, once rows arrive, from the bytes per row seen.
 * Those guesses are clamped to what the budget has left, so only data that has actually been
 * decoded can exceed it.
 */
class BinarySink implements ColumnSink {
  private readonly large: boolean;
  private offsets: Int32Array | BigInt64Array;
  private data: Uint8Array;
  private used = 0;
  private rows = 0;
  private validity: Validity;

  constructor(
    private readonly type: DataType,
    private capacity: number,
    byteHint: number,
    private readonly maxBytes: number,
    private readonly budget: DecodeBudget,
    private readonly what: string,
  ) {
    this.large = type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeBinary;
    this.offsets = this.newOffsets(capacity);
    this.data = this.newData(byteHint);
    this.validity = new Validity(capacity, budget, what);
  }

  private newOffsets(rows: number): Int32Array | BigInt64Array {
    this.budget.take((rows + 1) * (this.large ? 8 : 4), this.what);
    return this.large ? new BigInt64Array(rows + 1) : new Int32Array(rows + 1);
  }

  /** A data buffer sized by a guess, never past what the budget has left. */
  private newData(guess: number): Uint8Array {
    const bytes = Math.min(this.clamp(guess), Math.max(0, Math.floor(this.budget.remaining)));
    this.budget.take(bytes, this.what);
    return new Uint8Array(bytes);
  }

  private clamp(bytes: number): number {
    return Math.max(0, Math.ceil(this.large ? bytes : Math.min(bytes, this.maxBytes)));
  }

  private span(memory: ArrayBuffer, batch: CArray): [number, number] {
    const addr = batch.buffers[1] ?? 0;
    if (this.large) {
      const o = new BigInt64Array(memory, addr + batch.offset * 8, batch.length + 1);
      return [Number(o[0]), Number(o[batch.length])];
    }
    const o = new Int32Array(memory, addr + batch.offset * 4, batch.length + 1);
    return [o[0]!, o[batch.length]!];
  }

  fits(memory: ArrayBuffer, batch: CArray): boolean {
    if (this.large || this.rows === 0) return true;
    const [start, end] = this.span(memory, batch);
    return this.used + (end - start) <= this.maxBytes;
  }

  private reserve(bytes: number): void {
    const need = this.used + bytes;
    if (need <= this.data.length) return;
    const perRow = this.rows > 0 ? this.used / this.rows : 0;
    const guess = this.clamp(Math.max(this.data.length * 1.5, perRow * this.capacity * 1.05));
    // Growth past `need` is a guess: it takes only what the budget has left, and `need` itself
    // is what refuses a dataset over budget (the old buffer is released after the copy).
    const room = this.data.length + Math.max(0, Math.floor(this.budget.remaining));
    const size = Math.max(need, Math.min(guess, room));
    this.budget.take(size - this.data.length, this.what);
    const next = new Uint8Array(size);
    next.set(this.data.subarray(0, this.used));
    this.data = next;
  }

  append(memory: ArrayBuffer, batch: CArray): void {
    if (this.rows + batch.length > this.capacity) throw tooMany();
    const [start, end] = this.span(memory, batch);
    this.reserve(end - start);
    this.data.set(new Uint8Array(memory, batch.buffers[2] ?? 0, end).subarray(start), this.used);
    const base = this.used - start;
    if (this.large) {
      const src = new BigInt64Array(memory, (batch.buffers[1] ?? 0) + batch.offset * 8, batch.length + 1);
      const out = this.offsets as BigInt64Array;
      const shift = BigInt(base);
      for (let i = 1; i <= batch.length; i++) out[this.rows + i] = src[i]! + shift;
    } else {
      const src = new Int32Array(memory, (batch.buffers[1] ?? 0) + batch.offset * 4, batch.length + 1);
      const out = this.offsets as Int32Array;
      for (let i = 1; i <= batch.length; i++) out[this.rows + i] = src[i]! + base;
    }
    this.validity.append(memory, batch);
    this.used += end - start;
    this.rows += batch.length;
  }

  seal(): Data {
    // Trimming costs a copy, so only a clearly oversized buffer (a size hint far off) is trimmed.
    const slack = this.data.length - this.used;
    const values = slack > this.used / 8 ? this.data.slice(0, this.used) : this.data.subarray(0, this.used);
    const valueOffsets = this.offsets.subarray(0, this.rows + 1);
    const [nullCount, nullBitmap] = this.validity.seal(this.capacity - this.rows);
    return new Data(this.type, 0, this.rows, nullCount, [valueOffsets, values, nullBitmap]);
  }

  restart(rows: number): void {
    const perRow = this.rows > 0 ? this.used / this.rows : 0;
    this.capacity = rows;
    this.offsets = this.newOffsets(rows);
    this.data = this.newData(perRow * rows);
    this.used = 0;
    this.rows = 0;
  }
}

/**
 * A sink for a column of `rows` rows, or null for a type this path does not build (nested,
 * dictionary, view...): the caller then reads the file the whole-table way, so such columns
 * are refused exactly where they were before. `maxBytes` caps 32-bit-offset data per segment;
 * `what` names the column in a budget refusal.
 */
export function sinkFor(
  type: DataType,
  rows: number,
  byteHint: number,
  budget: DecodeBudget,
  what: string,
  maxBytes = MAX_INT32_DATA,
): ColumnSink | null {
  const kind = flatKind(type);
  if (kind === 'fixed') return new FixedSink(type, rows, budget, what);
  if (kind === 'bool') return new BoolSink(type, rows, budget, what);
  if (kind === 'binary') return new BinarySink(type, rows, byteHint, maxBytes, budget, what);
  return null;
}
