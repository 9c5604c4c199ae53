import { assembleSlice, sliceParquet } from '../ingest/parquet-slice.js';
import type { DatasetSource } from './source.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];

/**
 * Row groups [from, to) of a Parquet file as a Parquet file of their own (parquet-slice.ts),
 * read through `source` as its footer and those groups' column chunks only: what a shard costs
 * is its own compressed bytes and the footer, not the file. Undefined when the file's ends or
 * footer are not ones the slice can be made from faithfully (no magic, a footer length past
 * the file, chunks outside the data or overlapping, encryption...): the caller then reads the
 * file whole, so any refusal is whole-file ingest's own.
 */
export async function parquetShardFile(
  source: DatasetSource,
  file: number,
  from: number,
  to: number,
): Promise<Uint8Array | undefined> {
  const size = source.sizes[file]!;
  if (size < 12) return undefined;
  const head = await source.readRange(file, 0, 4);
  const tail = await source.readRange(file, size - 8, size);
  if (!PAR1.every((b, i) => head[i] === b && tail[4 + i] === b)) return undefined;
  const length = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (length + 12 > size) return undefined;
  const dataEnd = size - 8 - length;
  let slice: ReturnType<typeof sliceParquet>;
  try {
    slice = sliceParquet(await source.readRange(file, dataEnd, size - 8), { from, to }, dataEnd);
  } catch {
    return undefined;
  }
  return assembleSlice(slice, (start, end) => source.readRange(file, start, end));
}
