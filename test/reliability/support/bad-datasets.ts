/**
 * Dataset bytes the engine must refuse with a 4xx problem on the job (the upload itself is
 * fine: the service can't know a file is bad before it parses it).
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import {
  compressedLengthBomb,
  dictionaryIndexPastEnd,
  garbledCompressedBody,
  hostileView,
  listOffsetPastEnd,
  parquetEmptyLists,
  truncatedEmbedding,
  unknownCodec,
} from '../../fixtures/arrow-input-bombs.js';
import {
  arrowFlippedByte,
  arrowOffsetBomb,
  deepJsonLine,
  parquetDictionaryBomb,
  sparseJsonLines,
  sparseStructJson,
  tinyNestedValues,
} from '../../fixtures/bombs.js';
import { arrowDictionaryIndexOutside, arrowListOffsetPatched } from '../../fixtures/nested-damage.js';
import { parquetWithRowGroups } from '../../fixtures/parquet-thrift.js';
import { PLANTED_SPEC, plantedCsv } from '../../fixtures/planted-duplicates.js';
import { type Dataset, datasetOf } from './seed.js';

/**
 * The decoded-size budget the bad-input harness runs with: small, so a bomb that would fill
 * the default budget (3 GiB) is refused in a test that decodes a few tens of megabytes.
 */
export const BAD_INPUT_BUDGET = 32 * 2 ** 20;

export interface BadDataset {
  readonly name: string;
  readonly make: () => Promise<Dataset> | Dataset;
  readonly spec: Record<string, unknown>;
  /** The answer this case must get, when the case pins it (every bomb does). */
  readonly status?: number;
  readonly code?: string;
}

const text = (s: string) => datasetOf(new TextEncoder().encode(s));
const random = (format: string, patch: Record<string, unknown> = {}) => ({
  strategy: 'random',
  seed: 3,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format,
  ...patch,
});

async function parquetBytes(): Promise<Uint8Array> {
  const { Table, writeParquet } = await import('parquet-wasm');
  const ids = Int32Array.from({ length: 2000 }, (_, i) => i);
  const table = tableFromArrays({ id: ids, value: Float64Array.from(ids, (i) => i / 7) });
  return writeParquet(Table.fromIPCStream(tableToIPC(table, 'stream')));
}

/** Issue 14: compressed, view-typed and nested binary inputs (arrow-input-bombs.ts). */
const ARROW_INPUTS: readonly BadDataset[] = [
  ...(['lz4', 'zstd'] as const).flatMap((codec) => [
    {
      name: `an Arrow stream whose ${codec} buffer declares 1 TiB uncompressed`,
      make: () => datasetOf(compressedLengthBomb(codec)),
      spec: random('arrow-stream'),
      status: 413,
      code: 'DATASET.TOO_LARGE_DECODED',
    },
    {
      name: `an Arrow file with its ${codec} body garbled`,
      make: () => datasetOf(garbledCompressedBody(codec)),
      spec: random('arrow'),
      status: 422,
      code: 'ARROW.CORRUPT',
    },
  ]),
  {
    name: 'an Arrow stream compressed with an undefined codec',
    make: () => datasetOf(unknownCodec()),
    spec: random('arrow-stream'),
    status: 422,
    code: 'ARROW.UNSUPPORTED_COMPRESSION',
  },
  {
    name: 'a polars Arrow file with a string view past its buffers',
    make: () => datasetOf(hostileView()),
    spec: random('arrow'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'an Arrow stream with a list offset past its child',
    make: () => datasetOf(listOffsetPastEnd()),
    spec: random('arrow-stream'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'an Arrow stream with a dictionary index past its dictionary',
    make: () => datasetOf(dictionaryIndexPastEnd()),
    spec: random('arrow-stream'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'an Arrow stream with an embedding column cut short',
    make: () => datasetOf(truncatedEmbedding()),
    spec: random('arrow-stream'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'a few KB of Parquet holding 5,000,000 empty lists',
    make: async () => datasetOf(await parquetEmptyLists(5_000_000)),
    spec: random('parquet'),
    status: 413,
    code: 'DATASET.TOO_LARGE_DECODED',
  },
];

export const BAD_DATASETS: readonly BadDataset[] = [
  { name: 'a file holding one newline', make: () => text('\n'), spec: random('csv') },
  { name: 'a CSV with a header and no rows', make: () => text('id,label,value\n'), spec: random('csv') },
  { name: 'a ragged CSV', make: () => text('id,label,value\n1,a,3\n2,b\n3,a,4,9\n'), spec: random('csv') },
  {
    name: 'a CSV that is not UTF-8',
    make: () =>
      datasetOf(Uint8Array.from([...new TextEncoder().encode('id,name\n1,'), 0xff, 0xfe, 0x41, 0x0a])),
    spec: random('csv'),
  },
  {
    name: 'a Parquet file cut in half',
    make: async () => {
      const bytes = await parquetBytes();
      return datasetOf(bytes.slice(0, bytes.byteLength >> 1));
    },
    spec: random('parquet'),
  },
  {
    name: 'a Parquet file with its middle zeroed',
    make: async () => {
      const bytes = await parquetBytes();
      bytes.fill(0, 8, bytes.byteLength - 8);
      return datasetOf(bytes);
    },
    spec: random('parquet'),
  },
  {
    name: 'a CSV with 100,000 columns',
    make: () => {
      const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
      const row = Array.from({ length: 100_000 }, () => '1').join(',');
      return text(`${header}\n${row}\n${row}\n`);
    },
    spec: random('csv'),
  },
  {
    name: 'a CSV whose one field is 10 MB',
    make: () => text(`id,blob\n1,${'x'.repeat(10 * 1024 * 1024)}\n`),
    spec: random('csv'),
  },
  {
    name: 'a good CSV stratified by a column it lacks',
    make: () => text('id,label\n1,a\n2,b\n3,a\n'),
    spec: random('csv', { strategy: 'stratified', stratifyBy: 'nope' }),
  },
  {
    name: 'a CSV stratified-group split over 300 classes',
    make: () => text(`id,label\n${Array.from({ length: 300 }, (_, i) => `${i},c${i}`).join('\n')}\n`),
    spec: random('csv', { strategy: 'stratified-group', stratifyBy: 'label', groupBy: 'id' }),
    status: 422,
    code: 'SPEC.TOO_MANY_CLASSES',
  },
  {
    name: 'a CSV whose rows repeat across train and test, frozen with dedupe "refuse"',
    make: () => text(plantedCsv()),
    spec: { ...PLANTED_SPEC, format: 'csv', dedupe: 'refuse' },
    status: 422,
    code: 'SPEC.CROSS_SPLIT_DUPLICATES',
  },
  {
    name: 'a good CSV split in time by a column it lacks',
    make: () => text('id,label\n4,a\n5,b\n6,a\n'),
    spec: random('csv', { strategy: 'time', orderBy: 'when', seed: 0 }),
  },
  {
    name: 'a JSON Lines file that is really CSV',
    make: () => text('id,label\n1,a\n'),
    spec: random('jsonl'),
  },
  {
    name: 'a 1 KB Parquet file whose one dictionary value decodes to 40 MB',
    make: async () => datasetOf(await parquetDictionaryBomb(40_000)),
    spec: random('parquet'),
    status: 413,
    code: 'DATASET.TOO_LARGE_DECODED',
  },
  {
    name: 'sparse JSON Lines of 3,000 keys over 12,000 lines',
    make: () => datasetOf(sparseJsonLines(12_000, 3000)),
    spec: random('jsonl'),
    status: 413,
    code: 'DATASET.TOO_MANY_CELLS',
  },
  {
    name: 'an Arrow file whose last utf8 offset is patched to 0x7fff0000',
    make: () => datasetOf(arrowOffsetBomb(0x7fff0000)),
    spec: random('arrow'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'an Arrow file with a byte of its record batch body corrupted',
    make: () => datasetOf(arrowFlippedByte()),
    spec: random('arrow'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'an Arrow file whose list offset points past the end of its items',
    make: () => datasetOf(arrowListOffsetPatched(0x7fff0000)),
    spec: random('arrow'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'an Arrow file whose dictionary index names no entry',
    make: () => datasetOf(arrowDictionaryIndexOutside()),
    spec: random('arrow'),
    status: 422,
    code: 'ARROW.CORRUPT',
  },
  {
    name: 'a valid Parquet file with 32,769 row groups',
    make: () => datasetOf(parquetWithRowGroups(32_769)),
    spec: random('parquet'),
    status: 413,
    code: 'PARQUET.TOO_MANY_ROW_GROUPS',
  },
  {
    name: 'a JSON Lines line nested 100,000 deep',
    make: () => datasetOf(deepJsonLine(100_000)),
    spec: random('jsonl'),
    status: 422,
    code: 'JSONL.TOO_DEEP',
  },
  {
    name: 'a JSON array that is never closed',
    make: () => text('[{"a":1},{"a":2}'),
    spec: random('json'),
    status: 422,
    code: 'JSON.UNCLOSED_ARRAY',
  },
  {
    name: 'a JSON array followed by more text',
    make: () => text('[{"a":1}] [{"a":2}]'),
    spec: random('json'),
    status: 422,
    code: 'JSON.TRAILING_DATA',
  },
  {
    name: 'a JSON array holding a number',
    make: () => text('[{"a":1},2]'),
    spec: random('json'),
    status: 422,
    code: 'JSON.NOT_OBJECT',
  },
  {
    name: 'a JSON array element nested 100,000 deep',
    make: () => text(`[{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`),
    spec: random('json'),
    status: 422,
    code: 'JSON.TOO_DEEP',
  },
  {
    name: 'a nested JSON Lines number no int64 or float64 holds',
    make: () => text('{"a":[1]}\n{"a":[1e400]}\n'),
    spec: random('jsonl'),
    status: 422,
    code: 'JSONL.UNREPRESENTABLE_NUMBER',
  },
  {
    name: 'one JSON Lines row of 3,000,000 tiny list values',
    make: () => datasetOf(tinyNestedValues(3_000_000)),
    spec: random('jsonl'),
    status: 413,
    code: 'DATASET.TOO_MANY_CELLS',
  },
  {
    name: 'a JSON array whose struct names 3,000 keys in its first row only, over 1,000 rows',
    make: () => datasetOf(sparseStructJson(1000, 3000)),
    spec: random('json'),
    status: 413,
    code: 'DATASET.TOO_MANY_CELLS',
  },
  ...ARROW_INPUTS,
];
