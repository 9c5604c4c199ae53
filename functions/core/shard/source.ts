/**
 * What shard ingest reads a dataset through: each file's size and byte ranges of it. The
 * embedded backend backs it with file handles, AWS with ranged GETs; core never opens a file.
 */
export interface DatasetSource {
  /** Byte size of each file, in the dataset's order. */
  readonly sizes: readonly number[];
  /** Bytes [start, end) of file `file`; the caller may keep the array. */
  readRange(file: number, start: number, end: number): Promise<Uint8Array>;
}

/** Bytes per read when a pass walks a whole file (planning a text file's cuts). */
export const READ_CHUNK_BYTES = 4 * 2 ** 20;

/** The file's bytes from `start` to its end, one chunk at a time, in order. */
export async function* fileChunks(
  source: DatasetSource,
  file: number,
  start = 0,
  chunk = READ_CHUNK_BYTES,
): AsyncGenerator<{ readonly at: number; readonly bytes: Uint8Array }> {
  const size = source.sizes[file]!;
  for (let at = start; at < size; at += chunk) {
    yield { at, bytes: await source.readRange(file, at, Math.min(size, at + chunk)) };
  }
}
