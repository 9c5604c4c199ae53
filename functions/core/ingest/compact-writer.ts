/**
 * A Thrift compact protocol writer: the few encodings a footer copier re-encodes (field
 * headers, list headers, zigzag integers) and raw bytes copied through. Field ids are written
 * as deltas from the previous field of the same struct, so a struct is opened and closed here.
 */
export class CompactWriter {
  private buffer: Uint8Array;
  private at = 0;
  /** The last field id written in each open struct, innermost last. */
  private readonly lastIds: number[] = [0];

  constructor(capacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  private room(n: number): void {
    if (this.at + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.at + n, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.at));
    this.buffer = grown;
  }

  private byte(b: number): void {
    this.room(1);
    this.buffer[this.at++] = b;
  }

  /** An unsigned varint; exact up to 2^53 (arithmetic, not 32-bit shifts). */
  private varint(n: number): void {
    let rest = n;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  /** A zigzag-encoded integer (i16, i32 or i64). */
  int(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Bytes as they are: a value copied from the input unchanged. */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** A field header; a boolean field's value is its type (TRUE 1, FALSE 2). */
  field(id: number, type: number): void {
    const last = this.lastIds.length - 1;
    const delta = id - this.lastIds[last]!;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.int(id);
    }
    this.lastIds[last] = id;
  }

  /** Opens a struct value (after its field header, or at the top). */
  open(): void {
    this.lastIds.push(0);
  }

  /** Closes the innermost struct with its STOP byte. */
  close(): void {
    this.lastIds.pop();
    this.byte(0);
  }

  listHeader(size: number, type: number): void {
    if (size < 15) this.byte((size << 4) | type);
    else {
      this.byte(0xf0 | type);
      this.varint(size);
    }
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.at);
  }
}
