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
export function schemaToIpc(schema: Schema): Uint8Array {
  return tableToIPC(new Table(schema), 'stream');
}

export function schemaFromIpc(bytes: Uint8Array): Schema {
  return tableFromIPC(bytes).schema;
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
