/** The part of snappyjs (which ships no types) that ingest uses. */
declare module 'snappyjs' {
  /** Throws when the declared uncompressed length exceeds `maxLength`. */
  function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  function compress(uncompressed: Uint8Array): Uint8Array;
  const snappy: { uncompress: typeof uncompress; compress: typeof compress };
  export default snappy;
}
