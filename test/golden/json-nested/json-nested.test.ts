import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataType, type Table, Type, type Vector } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';

const here = import.meta.dirname;
const python = join(here, '../../../.tools/venv/bin/python');
const work = mkdtempSync(join(tmpdir(), 'splitvault-json-nested-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A value in the checker's notation: ints ["i", text], floats ["f", IEEE bits as hex]. */
function encode(type: DataType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (type.typeId) {
    case Type.Int:
      return ['i', String(v)];
    case Type.Float: {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v as number);
      return ['f', Buffer.from(view.buffer).toString('hex')];
    }
    case Type.List:
      return [...(v as Vector)].map((e) => encode(type.children[0]!.type, e));
    case Type.Struct: {
      const row = v as Record<string, unknown>;
      return Object.fromEntries(type.children.map((f) => [f.name, encode(f.type, row[f.name])]));
    }
    default:
      return v;
  }
}

function engineColumns(table: Table): Record<string, { type: string; values: unknown[] }> {
  return Object.fromEntries(
    table.schema.fields.map((f) => [
      f.name,
      { type: String(f.type), values: [...table.getChild(f.name)!].map((v) => encode(f.type, v)) },
    ]),
  );
}

let runs = 0;
/** Compares ingest with the Python reading of SPLIT-SPEC §1.4.2 on one JSON Lines text. */
async function agree(text: string): Promise<void> {
  const file = join(work, `case-${runs++}.jsonl`);
  writeFileSync(file, text);
  const expected = JSON.parse(
    execFileSync(python, [join(here, 'infer_nested.py'), file], { encoding: 'utf8' }),
  );
  const outcome = await ingest(new TextEncoder().encode(text), { format: 'jsonl' }).then(
    ({ table }) => engineColumns(table),
    (err: { code: string; details: { column: string } }) => ({ [err.details.column]: { code: err.code } }),
  );
  for (const [name, column] of Object.entries(expected as Record<string, { refused?: string }>)) {
    if (column.refused !== undefined) {
      expect(outcome[name], text).toEqual({ code: 'JSONL.UNREPRESENTABLE_NUMBER' });
      return;
    }
    expect(outcome[name], text).toEqual(column);
  }
}

describe('nested JSON against an independent reading of the spec', () => {
  it.each([
    ['int and float', '{"a":[1,2.5]}\n{"a":[-0, 1E3, 1.50]}'],
    [
      'structs in first-appearance order',
      '{"a":{"y":1,"x":[true]}}\n{"a":{"z":"s","y":2.0}}\n{"a":null}\n{}',
    ],
    ['repeated keys', '{"a":{"k":1,"j":2,"k":[3]}}'],
    ['empty and null lists', '{"a":[]}\n{"a":[null]}\n{"a":[[],[null,[]]]}'],
    [
      'fallback with ECMAScript numbers',
      '{"a":[1]}\n{"a":{"n":1e21,"m":1e-7,"o":123456789012345680000,"p":0.000001}}',
    ],
    ['fallback strings and surrogates', '{"a":"x\\ud800"}\n{"a":[{"\\udc00":"\\n\\u001f\\u2028é"}]}'],
    ['keys sorted by UTF-16', '{"a":[1]}\n{"a":{"\\ud83d\\ude00":1,"\\uffff":2,"b":3}}'],
    ['a refused number', '{"a":[1]}\n{"a":[9007199254740993]}'],
  ])('agrees on %s', async (_name, text) => {
    await agree(text);
  });

  it('agrees on generated JSON values', async () => {
    const row = fc.dictionary(fc.constantFrom('a', 'b'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 2 });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 5 }), async (rows) => {
        await agree(rows.map((r) => JSON.stringify(r)).join('\n'));
      }),
      { numRuns: 60, seed: 14 },
    );
  });
});
