import {
  type Data,
  type DataType,
  Field,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';

/**
 * Scans and merged scans cross worker_threads and task boundaries (structured clone, S3
 * objects), which keep bytes but not Arrow's classes: schemas and dictionary values travel as
 * Arrow IPC streams, which keep every byte of the values, those under nulls included.
 */
/** Schema metadata key carrying the top-level names (see schemaToIpc). */
const NAMES = 'splitvault.shard.names';

export function schemaToIpc(schema: Schema): Uint8Array {
  const metadata = new Map(schema.metadata).set(NAMES, JSON.stringify(schema.fields.map((f) => f.name)));
  // Placeholder names: apache-arrow's reader would read "" as "null" and mix up equal names.
  const fields = schema.fields.map((f, i) => new Field(`c${i}`, f.type, f.nullable, f.metadata));
  return tableToIPC(new Table(new Schema(fields, metadata)), 'stream');
}

export function schemaFromIpc(bytes: Uint8Array): Schema {
  const read = tableFromIPC(bytes).schema;
  const names = JSON.parse(read.metadata.get(NAMES) ?? '[]') as string[];
  const metadata = new Map(read.metadata);
  metadata.delete(NAMES);
  const fields = read.fields.map((f, i) => new Field(names[i]!, f.type, f.nullable, f.metadata));
  emptyNames(fields.flatMap((f) => f.type.children ?? []));
  return new Schema(fields, metadata);
}

/**
 * apache-arrow's writer leaves an empty nested field name out and its reader reads it back as
 * null, while a file's reader gives ''. The decoded schema is this function's own, so it is
 * mended in place.
 */
function emptyNames(fields: readonly Field[]): void {
  for (const field of fields) {
    if (field.name == null) (field as { name: string }).name = '';
    const type = field.type as DataType & { dictionary?: DataType };
    emptyNames(type.children ?? []);
    if (type.dictionary) emptyNames(type.dictionary.children ?? []);
  }
}

/** One column's chunks (of one type) as an IPC stream, one record batch per chunk. */
export function chunksToIpc(type: DataType, chunks: readonly Data[]): Uint8Array {
  const schema = new Schema([new Field('values', type, true)]);
  const batches = chunks.map(
    (chunk) =>
      new RecordBatch(
        schema,
        makeData({ type: new Struct(schema.fields), length: chunk.length, nullCount: 0, children: [chunk] }),
      ),
  );
  return tableToIPC(new Table(schema, batches), 'stream');
}

export function chunksFromIpc(bytes: Uint8Array): readonly Data[] {
  return tableFromIPC(bytes).getChildAt(0)?.data ?? [];
}
