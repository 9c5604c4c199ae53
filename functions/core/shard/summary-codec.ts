import { type ShardSummary, SUMMARY_VERSION } from './shard-summary.js';

/**
 * Bytes of a shard summary, for S3 between the map and the combine step:
 *   "SVSS" | u32 version | u32 header length H | H bytes of UTF-8 JSON | zero pad to 8 |
 *   each typed array's bytes, in header order, each zero padded to 8.
 * The JSON is the summary with each typed array replaced by {"$array": type, "length": n}.
 * Arrays are little-endian (the bytes as they lie in memory on every platform Node runs
 * splitvault on; the codec refuses a big-endian host rather than write other bytes).
 */
const MAGIC = [0x53, 0x56, 0x53, 0x53]; // "SVSS"
const HEAD = 12;

const ARRAYS = {
  Uint8Array,
  Uint32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type ArrayName = keyof typeof ARRAYS;
type AnyArray = InstanceType<(typeof ARRAYS)[ArrayName]>;

function checkLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('shard summaries need a little-endian host');
}

const pad8 = (x: number) => (x + 7) & ~7;

function arrayName(value: unknown): ArrayName | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const name = (Object.keys(ARRAYS) as ArrayName[]).find((k) => value instanceof ARRAYS[k]);
  if (!name) throw new Error(`shard summaries hold no ${value.constructor.name}`);
  return name;
}

/** The summary as bytes (see the layout above); decodeSummary(encodeSummary(s)) equals s. */
export function encodeSummary(summary: ShardSummary): Uint8Array {
  checkLittleEndian();
  const arrays: AnyArray[] = [];
  const json = JSON.stringify(summary, (_key, value: unknown) => {
    const name = arrayName(value);
    if (!name) return value;
    arrays.push(value as AnyArray);
    return { $array: name, length: (value as AnyArray).length };
  });
  const header = new TextEncoder().encode(json);
  let size = pad8(HEAD + header.length);
  for (const a of arrays) size += pad8(a.byteLength);
  const out = new Uint8Array(size);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, SUMMARY_VERSION, true);
  dv.setUint32(8, header.length, true);
  out.set(header, HEAD);
  let at = pad8(HEAD + header.length);
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  return out;
}

/** A summary from encodeSummary's bytes; refuses other bytes and other versions. */
export function decodeSummary(bytes: Uint8Array): ShardSummary {
  checkLittleEndian();
  if (bytes.length < HEAD || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a shard summary');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== SUMMARY_VERSION) {
    throw new Error(`shard summary version ${version}; this engine reads version ${SUMMARY_VERSION}`);
  }
  const headerLength = dv.getUint32(8, true);
  const json = new TextDecoder().decode(bytes.subarray(HEAD, HEAD + headerLength));
  let at = pad8(HEAD + headerLength);
  // JSON.parse revives depth-first in document order, the order encodeSummary wrote the arrays.
  return JSON.parse(json, (_key, value: unknown) => {
    const ref = value as { $array?: ArrayName; length?: number } | null;
    if (typeof ref !== 'object' || ref === null || ref.$array === undefined) return value;
    const Ctor = ARRAYS[ref.$array];
    const byteLength = ref.length! * Ctor.BYTES_PER_ELEMENT;
    if (at + byteLength > bytes.length) throw new Error('shard summary is truncated');
    const copy = bytes.slice(at, at + byteLength);
    at += pad8(byteLength);
    return new Ctor(copy.buffer, 0, ref.length!);
  }) as ShardSummary;
}
