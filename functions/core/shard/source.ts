/**
 * What shard ingest reads a dataset through: each file's size and byte ranges of it. The
 * embedded backend backs it with file handles, AWS with ranged GETs; core never opens a file.
 */
export interface DatasetSource {
  /** Byte size of each file, in the dataset's order. */
  readonly sizes: readonly number[];
  /** Bytes [start, end) of file `file`; the caller may keep the array. */
  readRange(file: number, start: number, end: number): Promise<Uint8Array>;
  /**
   * Optional: bytes [start, size) of file `file` in order, in chunks of any size, for a pass
   * that walks a whole file. A source that can read ahead (several ranges at once) offers it.
   */
  stream?(file: number, start: number): AsyncIterable<Uint8Array>;
}

/** Bytes per read when a pass walks a whole file (planning a text file's cuts). */
export const READ_CHUNK_BYTES = 4 * 2 ** 20;

/**
 * The file's bytes from `start` to its end, one chunk at a time, in order: through the
 * source's stream when it has one (its chunks, whatever their size), else `chunk` at a time.
 */
export async function* fileChunks(
  source: DatasetSource,
  file: number,
  start = 0,
  chunk = READ_CHUNK_BYTES,
): AsyncGenerator<{ readonly at: number; readonly bytes: Uint8Array }> {
  const size = source.sizes[file]!;
  if (source.stream) {
    let at = start;
    for await (const bytes of source.stream(file, start)) {
      yield { at, bytes };
      at += bytes.byteLength;
    }
    return;
  }
  for (let at = start; at < size; at += chunk) {
    yield { at, bytes: await source.readRange(file, at, Math.min(size, at + chunk)) };
  }
}
