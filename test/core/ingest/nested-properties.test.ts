import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { plainRows } from './nested-values.js';
import { schemaOf, utf8 } from './table-values.js';

/** A column type to generate values of: each value then fits it, so no fallback is involved. */
type Shape =
  | { readonly k: 'int' | 'float' | 'bool' | 'str' }
  | { readonly k: 'list'; readonly e: Shape }
  | { readonly k: 'struct'; readonly f: readonly string[]; readonly t: readonly Shape[] };

/** A generated value: its JSON text, and what ingest should give back for it. */
interface Sample {
  readonly text: string;
  readonly value: unknown;
}

const { shape } = fc.letrec<{ shape: Shape; leaf: Shape }>((tie) => ({
  leaf: fc.constantFrom<Shape>({ k: 'int' }, { k: 'float' }, { k: 'bool' }, { k: 'str' }),
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    tie('shape').map((e): Shape => ({ k: 'list', e })),
    fc
      .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'é', 'x y'), { minLength: 1, maxLength: 4 })
      .chain((f) =>
        fc.array(tie('shape'), { minLength: f.length, maxLength: f.length }).map((t) => ({ f, t })),
      )
      .map(({ f, t }): Shape => ({ k: 'struct', f, t })),
  ),
}));

/** Floats are written with a "." or an exponent, so a float position never reads as int64. */
function floatText(x: number): string {
  const t = JSON.stringify(x);
  return /[.e]/.test(t) ? t : `${t}.0`;
}

/** A value of `s`, or null; struct members may also be left out. */
function sample(s: Shape): fc.Arbitrary<Sample | null> {
  const some = ((): fc.Arbitrary<Sample> => {
    switch (s.k) {
      case 'int':
        return fc.maxSafeInteger().map((n) => ({ text: JSON.stringify(n), value: BigInt(n) }));
      case 'float':
        return fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .map((x) => ({ text: floatText(x), value: Number(floatText(x)) }));
      case 'bool':
        return fc.boolean().map((b) => ({ text: String(b), value: b }));
      case 'str':
        return fc.string({ unit: 'binary' }).map((v) => ({ text: JSON.stringify(v), value: v }));
      case 'list':
        return fc.array(sample(s.e), { maxLength: 4 }).map((xs) => ({
          text: `[${xs.map((x) => x?.text ?? 'null').join(',')}]`,
          value: xs.map((x) => x?.value ?? null),
        }));
      case 'struct':
        return fc.tuple(...s.t.map((t) => fc.option(sample(t), { nil: undefined }))).map((members) => {
          const present = members.flatMap((m, i) => (m === undefined ? [] : [[s.f[i]!, m] as const]));
          return {
            text: `{${present.map(([k, m]) => `${JSON.stringify(k)}:${m?.text ?? 'null'}`).join(',')}}`,
            value: Object.fromEntries(present.map(([k, m]) => [k, m?.value ?? null])),
          };
        });
    }
  })();
  return fc.option(some, { nil: null, freq: 4 });
}

/**
 * What ingest should type `s` as, given the values seen: a position that never held a value is
 * Utf8, a struct has the fields some object named, in order of first appearance.
 */
function expectedType(s: Shape, values: unknown[]): string {
  const seen = values.filter((v) => v !== null && v !== undefined);
  if (seen.length === 0) return 'Utf8';
  switch (s.k) {
    case 'int':
      return 'Int64';
    case 'float':
      return 'Float64';
    case 'bool':
      return 'Bool';
    case 'str':
      return 'Utf8';
    case 'list':
      return `List<${expectedType(s.e, (seen as unknown[][]).flat())}>`;
    case 'struct': {
      const order = [...new Set((seen as Record<string, unknown>[]).flatMap((o) => Object.keys(o)))];
      const fields = order.map((name) => {
        const t = s.t[s.f.indexOf(name)]!;
        return `${name}:${expectedType(
          t,
          (seen as Record<string, unknown>[]).map((o) => o[name]),
        )}`;
      });
      return `Struct<{${fields.join(', ')}}>`;
    }
  }
}

/** The value ingest should give back: every field a struct ever had, missing ones null. */
function expectedValue(s: Shape, v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (s.k === 'list') {
    const inner = type.slice(5, -1);
    return (v as unknown[]).map((x) => expectedValue(s.e, x, inner));
  }
  if (s.k === 'struct') {
    const fields = splitFields(type.slice(8, -2));
    return Object.fromEntries(
      fields.map(([name, t]) => [
        name,
        expectedValue(s.t[s.f.indexOf(name)]!, (v as Record<string, unknown>)[name], t),
      ]),
    );
  }
  return v;
}

/** "a:Int64, b:List<Utf8>" → [["a","Int64"], ["b","List<Utf8>"]], respecting nesting. */
function splitFields(text: string): [string, string][] {
  const out: [string, string][] = [];
  if (text === '') return out;
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '{') depth++;
    else if (c === '>' || c === '}') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      const part = text.slice(start, i).trim();
      const colon = part.indexOf(':');
      out.push([part.slice(0, colon), part.slice(colon + 1)]);
      start = i + 1;
    }
  }
  return out;
}

const column = shape.chain((s) =>
  fc.array(sample(s), { minLength: 1, maxLength: 8 }).map((rows) => ({ s, rows })),
);

describe('nested JSON properties', () => {
  it('gives back every generated nested value with the type its values call for', async () => {
    await fc.assert(
      fc.asyncProperty(column, async ({ s, rows }) => {
        // A leading list row keeps the column nested whatever the shape (the top-level list
        // then holds the generated value); its element type is the shape's.
        const text = rows.map((r) => `{"id":0,"a":[${r?.text ?? 'null'}]}`).join('\n');
        const { table } = await ingest(utf8(text), { format: 'jsonl' });
        const values = rows.map((r) => r?.value ?? null);
        const type = `List<${expectedType(s, values)}>`;
        expect(schemaOf(table)).toEqual(['id:Int64', `a:${type}`]);
        expect(plainRows(table).map((r) => r.a)).toEqual(
          values.map((v) => expectedValue({ k: 'list', e: s }, [v], type)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('reads any JSON objects the same from a JSON array as from JSON Lines', async () => {
    const row = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 6 }), async (rows) => {
        const texts = rows.map((r) => JSON.stringify(r));
        const outcome = (bytes: Uint8Array, format: 'json' | 'jsonl') =>
          ingest(bytes, { format }).then(
            ({ table }) => ({ schema: schemaOf(table), rows: plainRows(table) }),
            (err: { code: string; details?: unknown }) => ({ code: err.code, details: err.details }),
          );
        const lines = await outcome(utf8(texts.join('\n')), 'jsonl');
        const array = await outcome(utf8(`[${texts.join(',\n')}]`), 'json');
        const code = (o: object) => ('code' in o ? String(o.code).replace(/^JSONL?\./, '') : undefined);
        if ('code' in lines) expect(code(array)).toBe(code(lines));
        else expect(array).toEqual(lines);
      }),
      { numRuns: 300 },
    );
  });
});
