import type { Schema } from 'apache-arrow';
import { Footer } from 'apache-arrow/fb/footer';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { Footer as FileFooter } from 'apache-arrow/ipc/metadata/file';
import { ByteBuffer } from 'flatbuffers';
import { concatBytes } from '../concat-bytes.js';
import { schemaToIpc } from './ipc-carry.js';
import type { DatasetSource } from './source.js';

const CONTINUATION = 0xffffffff;
const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * Record batches [from, to) of an Arrow IPC file as an IPC stream: the file's schema message,
 * every dictionary message its footer lists (a file's reader applies them all before any batch,
 * so each batch sees the same dictionaries here), the batches, and the end-of-stream marker.
 * Only these ranges are read; the footer's schema comes along, for the caller to compare with
 * the stream's. Undefined when the file's layout is not one this reads (legacy
 * messages without the continuation marker): the file is then read whole.
 */
export async function arrowFileShardStream(
  source: DatasetSource,
  file: number,
  from: number,
  to: number,
): Promise<{ readonly stream: Uint8Array; readonly schema: Schema } | undefined> {
  const size = source.sizes[file]!;
  const tail = await source.readRange(file, size - 10, size);
  const length = new DataView(tail.buffer, tail.byteOffset, 10).getInt32(0, true);
  const footerBytes = await source.readRange(file, size - 10 - length, size - 10);
  const footer = Footer.getRootAsFooter(new ByteBuffer(footerBytes));
  const head = await source.readRange(file, 8, 16);
  const view = new DataView(head.buffer, head.byteOffset, 8);
  if (view.getUint32(0, true) !== CONTINUATION) return undefined;
  const pieces: (Uint8Array | undefined)[] = [await source.readRange(file, 8, 16 + view.getInt32(4, true))];
  const block = async (b: ReturnType<Footer['recordBatches']>, header: MessageHeader) => {
    const offset = Number(b!.offset());
    const bytes = await source.readRange(
      file,
      offset,
      offset + b!.metaDataLength() + Number(b!.bodyLength()),
    );
    return headerOf(bytes) === header ? bytes : undefined;
  };
  for (let i = 0; i < footer.dictionariesLength(); i++) {
    pieces.push(await block(footer.dictionaries(i), MessageHeader.DictionaryBatch));
  }
  for (let i = from; i < to; i++)
    pieces.push(await block(footer.recordBatches(i), MessageHeader.RecordBatch));
  // Some writers (apache-arrow JS) point a block at the message before it, which their own
  // reader skips; read such a file whole rather than guess.
  if (pieces.some((piece) => piece === undefined)) return undefined;
  pieces.push(END_OF_STREAM);
  return { stream: concatBytes(pieces as Uint8Array[]), schema: FileFooter.decode(footerBytes).schema };
}

/** The header type of the encapsulated message at the start of `bytes`, or undefined. */
function headerOf(bytes: Uint8Array): MessageHeader | undefined {
  if (bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const length = view.getInt32(4, true);
  if (view.getUint32(0, true) !== CONTINUATION || length <= 0 || 8 + length > bytes.length) return undefined;
  return Message.getRootAsMessage(new ByteBuffer(bytes.subarray(8, 8 + length))).headerType();
}

/**
 * Whether two schemas read the same, down to nested fields' names, nullability and metadata
 * and dictionary ids: their IPC encodings by one writer are equal. A file reader takes the
 * footer's schema and a stream reader the schema message's; a file whose two differ is read
 * whole, as whole-file ingest reads it.
 */
export function sameSchema(a: Schema, b: Schema): boolean {
  const x = schemaToIpc(a);
  const y = schemaToIpc(b);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}
