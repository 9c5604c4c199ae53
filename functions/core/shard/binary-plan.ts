import { Footer } from 'apache-arrow/fb/footer';
import { ByteBuffer } from 'flatbuffers';
import { readFooterLayout } from '../ingest/parquet-footer.js';
import { sliceParquet } from '../ingest/parquet-slice.js';
import type { BinaryShard, FilePlan } from './plan.js';
import type { DatasetSource } from './source.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];

/** Per unit (row group or record batch), its size in bytes, or undefined to read the file as one unit. */
type Units = { readonly bytes: readonly number[]; readonly groupRows?: readonly number[] } | undefined;

async function parquetUnits(source: DatasetSource, file: number): Promise<Units> {
  const size = source.sizes[file]!;
  if (size < 12) return undefined;
  const tail = await source.readRange(file, size - 8, size);
  const length = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (length + 12 > size) return undefined;
  const dataEnd = size - 8 - length;
  const metadata = await source.readRange(file, dataEnd, size - 8);
  const layout = readFooterLayout(metadata);
  // A file no shard could slice (no magic, chunks outside the data or overlapping, encryption...)
  // is one shard, read whole once, rather than every shard failing its slice.
  const head = await source.readRange(file, 0, 4);
  if (!PAR1.every((b, i) => head[i] === b && tail[4 + i] === b)) return undefined;
  try {
    sliceParquet(metadata, { from: 0, to: layout.groupRows.length }, dataEnd);
  } catch {
    return undefined;
  }
  // The footer's uncompressed sizes are a claim the reader never checks (it decodes by the page
  // headers): a footer saying 1 byte a chunk would make the whole file one shard. What a shard's
  // slice copies is its chunks' compressed bytes (checked above to lie in the data, none
  // overlapping), so a group weighs at least those.
  const bytes = layout.groupBytes.map((uncompressed, g) => {
    const compressed = (layout.chunks[g] ?? []).reduce((sum, chunk) => sum + chunk.compressedSize, 0);
    return Math.max(uncompressed, compressed);
  });
  return { bytes, groupRows: layout.groupRows };
}

async function arrowFileUnits(source: DatasetSource, file: number): Promise<Units> {
  const size = source.sizes[file]!;
  if (size < 18) return undefined;
  const tail = await source.readRange(file, size - 10, size);
  const length = new DataView(tail.buffer, tail.byteOffset, 10).getInt32(0, true);
  if (length <= 0 || length + 18 > size) return undefined;
  const footer = Footer.getRootAsFooter(
    new ByteBuffer(await source.readRange(file, size - 10 - length, size - 10)),
  );
  // Each block takes 24 bytes of the footer: a count past that is corrupt (the reader decides).
  if (footer.recordBatchesLength() * 24 > length) return undefined;
  return {
    bytes: Array.from({ length: footer.recordBatchesLength() }, (_, i) => {
      const block = footer.recordBatches(i)!;
      return block.metaDataLength() + Number(block.bodyLength());
    }),
  };
}

/**
 * Cuts Parquet files by row group and Arrow IPC files by record batch, from their footers
 * alone: a shard takes whole units until their bytes reach `target` (a row group weighs the
 * larger of its compressed and uncompressed sizes). A footer that can't be
 * read here (and any Arrow stream) makes its file one shard, whose read then reports what
 * whole-file ingest reports.
 */
export async function planBinary(
  source: DatasetSource,
  format: 'parquet' | 'arrow' | 'arrow-stream',
  target: number,
): Promise<{ files: FilePlan[]; shards: BinaryShard[] }> {
  const files: FilePlan[] = [];
  const shards: BinaryShard[] = [];
  for (const [file, size] of source.sizes.entries()) {
    let units: Units;
    try {
      units =
        format === 'parquet'
          ? await parquetUnits(source, file)
          : format === 'arrow'
            ? await arrowFileUnits(source, file)
            : undefined;
    } catch {
      units = undefined;
    }
    files.push({ size, ...(units?.groupRows ? { groupRows: units.groupRows } : {}) });
    // A footer that counts no rows sends ingest's Parquet reader down its whole-file path
    // (parquet-rowgroups.ts), whatever the pages hold: such a file is read whole here too.
    const rows = units?.groupRows?.reduce((a, b) => a + b, 0);
    if (!units || units.bytes.length === 0 || rows === 0) {
      shards.push({ kind: 'binary', index: shards.length, file, from: 0, to: 1, whole: true, bytes: size });
      continue;
    }
    let from = 0;
    let bytes = 0;
    for (const [u, n] of units.bytes.entries()) {
      bytes += n;
      if (bytes >= target && u + 1 < units.bytes.length) {
        shards.push({ kind: 'binary', index: shards.length, file, from, to: u + 1, whole: false, bytes });
        from = u + 1;
        bytes = 0;
      }
    }
    shards.push({
      kind: 'binary',
      index: shards.length,
      file,
      from,
      to: units.bytes.length,
      whole: false,
      bytes,
    });
  }
  return { files, shards };
}
