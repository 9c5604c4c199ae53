import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../ingest/utf8.js';

/**
 * Checks UTF-8 a chunk at a time, carrying an unfinished sequence over to the next chunk, and
 * reports the offset of the first byte that is not well-formed UTF-8: the offset a whole-file
 * check (assertUtf8) names.
 */
export class Utf8Stream {
  private carry = new Uint8Array(0);
  private carryAt = 0;
  /** Offset of the first bad byte, once one is found. */
  fault: number | undefined;

  push(at: number, chunk: Uint8Array): void {
    if (this.fault !== undefined) return;
    const bytes = this.carry.length > 0 ? joined(this.carry, chunk) : chunk;
    const base = this.carry.length > 0 ? this.carryAt : at;
    const end = completeEnd(bytes);
    const body = bytes.subarray(0, end);
    if (!isUtf8(body)) {
      this.fault = base + firstInvalidUtf8(body);
      return;
    }
    this.carry = bytes.slice(end);
    this.carryAt = base + end;
  }

  /** Ends the input: an unfinished sequence at the very end is a fault. */
  end(): number | undefined {
    if (this.fault === undefined && this.carry.length > 0) {
      this.fault = this.carryAt + firstInvalidUtf8(this.carry);
    }
    return this.fault;
  }
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Where the last (possibly unfinished) sequence starts, when it needs more bytes than remain. */
function completeEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
