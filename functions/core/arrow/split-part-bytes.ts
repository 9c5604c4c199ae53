import { concatBytes } from '../concat-bytes.js';
import type { SplitPart } from './split-parts.js';

/**
 * A SplitPart as one byte string, for a part that crosses a process boundary as an object (S3
 * between a Map task and the combine): a uint32 (little-endian) length, a JSON header with the
 * numbers, then the head block, the batches and the tail block back to back.
 */
interface Header {
  readonly startOf: number;
  readonly rows: number;
  readonly head: number;
  readonly tail: number;
  /** [metaLength, bodyLength] per batch. */
  readonly batches: readonly (readonly [number, number])[];
}

/** The part's bytes, as chunks to write in order. */
export function packSplitPart(part: SplitPart): Uint8Array[] {
  const header: Header = {
    startOf: part.startOf,
    rows: part.rows,
    head: part.head.byteLength,
    tail: part.tail.byteLength,
    batches: part.batches.map((b) => [b.metaLength, b.bodyLength]),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, json.byteLength, true);
  return [length, json, part.head, ...part.batches.map((b) => b.bytes), part.tail];
}

/**
 * The part `packSplitPart` wrote. Its batches are views of `bytes` (they are only copied on);
 * its row blocks are copies, since they are read as Arrow, whose typed views want aligned offsets.
 */
export function unpackSplitPart(bytes: Uint8Array): SplitPart {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as Header;
  let at = 4 + length;
  const take = (n: number, copy: boolean) => {
    const out = copy ? bytes.slice(at, at + n) : bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const head = take(header.head, true);
  const batches = header.batches.map(([metaLength, bodyLength]) => ({
    bytes: take(metaLength + bodyLength, false),
    metaLength,
    bodyLength,
  }));
  const tail = take(header.tail, true);
  return { startOf: header.startOf, rows: header.rows, head, batches, tail };
}

/** packSplitPart's chunks as one buffer. */
export function splitPartBytes(part: SplitPart): Uint8Array {
  return concatBytes(packSplitPart(part));
}
