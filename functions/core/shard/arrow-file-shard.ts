import { Footer } from 'apache-arrow/fb/footer';
import { ByteBuffer } from 'flatbuffers';
import { concatBytes } from '../concat-bytes.js';
import type { DatasetSource } from './source.js';

const CONTINUATION = 0xffffffff;
const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * Record batches [from, to) of an Arrow IPC file as an IPC stream: the file's schema message,
 * every dictionary message its footer lists (a file's reader applies them all before any batch,
 * so each batch sees the same dictionaries here), the batches, and the end-of-stream marker.
 * Only these ranges are read. Undefined when the file's layout is not one this reads (legacy
 * messages without the continuation marker): the file is then read whole.
 */
export async function arrowFileShardStream(
  source: DatasetSource,
  file: number,
  from: number,
  to: number,
): Promise<Uint8Array | undefined> {
  const size = source.sizes[file]!;
  const tail = await source.readRange(file, size - 10, size);
  const length = new DataView(tail.buffer, tail.byteOffset, 10).getInt32(0, true);
  const footer = Footer.getRootAsFooter(
    new ByteBuffer(await source.readRange(file, size - 10 - length, size - 10)),
  );
  const head = await source.readRange(file, 8, 16);
  const view = new DataView(head.buffer, head.byteOffset, 8);
  if (view.getUint32(0, true) !== CONTINUATION) return undefined;
  const pieces = [await source.readRange(file, 8, 16 + view.getInt32(4, true))];
  const block = async (b: ReturnType<Footer['recordBatches']>) => {
    const offset = Number(b!.offset());
    return source.readRange(file, offset, offset + b!.metaDataLength() + Number(b!.bodyLength()));
  };
  for (let i = 0; i < footer.dictionariesLength(); i++) pieces.push(await block(footer.dictionaries(i)));
  for (let i = from; i < to; i++) pieces.push(await block(footer.recordBatches(i)));
  pieces.push(END_OF_STREAM);
  return concatBytes(pieces);
}
