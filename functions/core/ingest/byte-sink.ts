/** An append-only byte buffer that doubles as it fills. */
export class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(capacity, 64));
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.length + extra, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  append(src: Uint8Array, s: number, e: number): void {
    this.reserve(e - s);
    this.bytes.set(src.subarray(s, e), this.length);
    this.length += e - s;
  }
}
