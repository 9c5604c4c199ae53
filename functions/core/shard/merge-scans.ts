import {
  Bool,
  type DataType,
  type Dictionary,
  Field,
  Float64,
  Int64,
  Schema,
  TimestampMicrosecond,
  Type,
  Utf8,
} from 'apache-arrow';
import type { ColumnType } from '../../../schemas/spec.js';
import { flattenColumn } from '../arrow/flat-column.js';
import { unifyDictionaries } from '../arrow/flat-dictionary.js';
import { DatasetError } from '../errors.js';
import { checkSchemaColumns, typeMismatch } from '../ingest/assemble.js';
import { MAX_COLUMNS, maxCells, tooManyColumns, UNLIMITED_DECODED_BYTES } from '../ingest/limits.js';
import { unifiedSchema } from '../ingest/many.js';
import type { BinaryScan, UnifiedDictionary } from './binary-shards.js';
import { ALL_NULL, continueInference, INFER_START, inferredType } from './infer-state.js';
import { chunksFromIpc, chunksToIpc, schemaFromIpc } from './ipc-carry.js';
import { mergeNested, NESTED_NONE, shapeArrowType } from './nested-state.js';
import type { ShardPlan } from './plan.js';
import { notShardable } from './refusals.js';
import type { TextColumnType, TextScan } from './text-shards.js';

const ARROW_TYPES: Record<ColumnType, () => DataType> = {
  int64: () => new Int64(),
  float64: () => new Float64(),
  bool: () => new Bool(),
  timestamp: () => new TimestampMicrosecond('UTC'),
  utf8: () => new Utf8(),
};

function noRows(): DatasetError {
  return new DatasetError('DATASET.EMPTY', 'the dataset has no data rows');
}

/** Text: the columns in order of first appearance over the shards, typed as whole-file ingest types them. */
export function mergeText(
  plan: ShardPlan,
  scans: readonly TextScan[],
  firstRows: readonly number[],
): { schema: Schema; types: TextColumnType[] } {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const scan of scans) {
    for (const name of scan.names) {
      if (!seen.has(name)) names.push(name);
      seen.add(name);
    }
  }
  if (names.length > MAX_COLUMNS) throw tooManyColumns(MAX_COLUMNS + 1);
  const declared = plan.options.schema;
  if (declared)
    checkSchemaColumns(
      names.map((name) => ({ name })),
      declared,
    );
  // Rows that name no column (`{}`) make no table: ingest counts rows through its columns.
  if (names.length === 0 || scans.every((scan) => scan.rows === 0)) throw noRows();
  const at = scans.map((scan) => new Map(scan.names.map((name, i) => [name, i])));
  const declaredOf = (name: string) =>
    declared && Object.hasOwn(declared, name) ? declared[name]! : undefined;
  // As whole-file ingest: nested columns are inferred first, in column order (§1.4.2).
  const cells = maxCells(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  const shapes = names.map((name) => {
    if (declaredOf(name) !== undefined) return undefined;
    if (!scans.some((scan, s) => scan.nested[at[s]!.get(name) ?? -1])) return undefined;
    const perShard = scans.map((scan, s) => {
      const i = at[s]!.get(name);
      return i === undefined ? NESTED_NONE : scan.shapes[i]!;
    });
    return mergeNested(name, perShard, cells);
  });
  const types = names.map((name, c): TextColumnType => {
    const own = declaredOf(name);
    const shape = shapes[c];
    if (shape) return shape;
    if (own !== undefined) {
      scans.forEach((scan, s) => {
        const misfit = scan.misfits[at[s]!.get(name) ?? -1];
        if (misfit) throw typeMismatch(name, firstRows[s]! + misfit.row, misfit.where, misfit.raw, own);
      });
      return own;
    }
    let state = INFER_START;
    for (const [s, scan] of scans.entries()) {
      const i = at[s]!.get(name);
      state = continueInference(state, i === undefined ? ALL_NULL : scan.inference[i]!);
    }
    return inferredType(state);
  });
  const schema = new Schema(
    names.map((name, i) => {
      const type = types[i]!;
      return new Field(name, typeof type === 'string' ? ARROW_TYPES[type]() : shapeArrowType(type), true);
    }),
  );
  return { schema, types };
}

/** True when a dictionary sits below the column's top level (inside a list, struct or map). */
function nestedDictionary(type: DataType, top = true): boolean {
  if (!top && type.typeId === Type.Dictionary) return true;
  const children = type.typeId === Type.Dictionary ? [] : (type.children ?? []);
  return children.some((child: Field) => nestedDictionary(child.type, false));
}

/**
 * Parquet and Arrow: the files' schema (as ingestParts unifies it), and for each dictionary
 * column the unified dictionary U of docs/SPLIT-SPEC.md §6.4, built from every shard's chunk
 * dictionaries in order by the same function whole-file flattening uses.
 */
export function mergeBinary(
  plan: ShardPlan,
  scans: readonly BinaryScan[],
  checkSchema: (schema: Schema) => void,
): { schema: Schema; dictionaries: (UnifiedDictionary | null)[] } {
  let schema: Schema;
  if (plan.files.length > 1) {
    const firstOfFile = plan.files.map((_, file) => scans[plan.shards.findIndex((s) => s.file === file)]!);
    schema = unifiedSchema(
      firstOfFile.map((scan) => schemaFromIpc(scan.schema)),
      plan.options.labels ?? [],
    );
    if (schema.fields.length > MAX_COLUMNS) throw tooManyColumns(schema.fields.length);
    checkSchema(schema);
  } else {
    schema = schemaFromIpc(scans[0]!.schema);
    checkSchema(schema);
    if (schema.fields.length > MAX_COLUMNS) throw tooManyColumns(schema.fields.length);
  }
  if (scans.every((scan) => scan.rows === 0)) throw noRows();
  const dictionaries = schema.fields.map((field, i): UnifiedDictionary | null => {
    // Flattening no chunks refuses an unsupported type as flattening the whole column would.
    flattenColumn(field.name, field.type, [], 0);
    if (scans.length > 1 && nestedDictionary(field.type)) {
      throw notShardable(`column "${field.name}" has a dictionary inside a nested type`);
    }
    if (field.type.typeId !== Type.Dictionary) return null;
    const dict = field.type as Dictionary;
    const all = scans.flatMap((scan) => scan.dictionaries[i] ?? []);
    const sizes = all.map((d) => d.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const chunks = all.flatMap((d) => chunksFromIpc(d.ipc));
    const values = flattenColumn(field.name, dict.dictionary, chunks, total);
    if (values.kind !== 'fixed' && values.kind !== 'bool' && values.kind !== 'binary') {
      throw new Error(`column "${field.name}": unsupported dictionary values passed flattening`);
    }
    const { entries, remaps } = unifyDictionaries(field.name, dict, values, sizes);
    let k = 0;
    const perShard = scans.map((scan) => {
      const n = scan.dictionaries[i]?.length ?? 0;
      k += n;
      return remaps.slice(k - n, k);
    });
    return { values: chunksToIpc(dict.dictionary, chunks), size: total, entries, remaps: perShard };
  });
  return { schema, dictionaries };
}
