import fc from 'fast-check';

/** JSON text of a nested value: what ML data holds (token lists, embeddings, feature structs). */
export type JsonText = string;

const int = fc.integer({ min: -1000, max: 1000 }).map(String);
/** Floats as writers spell them: a float among ints widens the position to Float64. */
const float = fc.constantFrom('2.5', '-0', '1e3', '1.50', '0.1', '1E-7', '-3.25e2');
const stamp = fc.constantFrom('"2024-01-02T03:04:05Z"', '"2024-01-02"', '"2023-12-31T23:59:59.5+01:00"');
const word = fc.constantFrom('"a"', '"é"', '"a\\"b"', '"\\ud83d\\ude00"', '""', '"\\u00e9"');
const scalar = fc.oneof(int, float, stamp, word, fc.constantFrom('true', 'false', 'null'));

const list = (item: fc.Arbitrary<JsonText>, max = 5) =>
  fc.array(item, { maxLength: max }).map((items) => `[${items.join(',')}]`);

/** Mostly ints, some floats and nulls: token ids, or an embedding once a float turns up. */
const number = fc.oneof(
  { weight: 8, arbitrary: int },
  { weight: 1, arbitrary: float },
  { weight: 1, arbitrary: fc.constant('null') },
);

/** Struct fields from a pool: a field first seen in a late row comes last (§1.4.2). */
const FIELDS = ['x', 'y', 'é', 'late', 'z'] as const;
const struct = (value: fc.Arbitrary<JsonText>) =>
  fc
    .uniqueArray(fc.constantFrom(...FIELDS), { maxLength: 4 })
    .chain((keys) => fc.tuple(...keys.map((k) => value.map((v) => `${JSON.stringify(k)}:${v}`))))
    .map((members) => `{${members.join(',')}}`);

/** A nested column's value: one family per column, so most columns keep a typed Arrow shape. */
export const NESTED_COLUMNS: Record<string, fc.Arbitrary<JsonText>> = {
  tokens: list(number, 6),
  matrix: list(list(number, 3), 3),
  feat: struct(fc.oneof(number, stamp, word, list(number, 2), struct(number))),
  ragged: fc.oneof(list(struct(scalar), 2), struct(list(word, 2))),
  mixed: fc.oneof({ weight: 6, arbitrary: list(int, 2) }, { weight: 1, arbitrary: scalar }),
};

/** A column's cell: absent, null, empty or a value (absent and null are both null, §1.4). */
function cell(value: fc.Arbitrary<JsonText>): fc.Arbitrary<JsonText | undefined> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant('null') },
    { weight: 8, arbitrary: value },
  );
}

/**
 * One row: the flat columns strategies read (id, label, user, at, a timestamp as text), then
 * the nested ones, each maybe absent. Labels and users follow the row number, so every
 * strategy finds each split some rows (no SPEC.EMPTY_SPLIT at 30 rows or more).
 */
export function nestedRow(i: number): fc.Arbitrary<string> {
  const names = Object.keys(NESTED_COLUMNS);
  return fc
    .tuple(
      fc.integer({ min: 0, max: 40 }),
      stamp,
      fc.tuple(...names.map((name) => cell(NESTED_COLUMNS[name]!))),
    )
    .map(([at, ts, values]) => {
      const members = [`"id":${i}`, `"label":"c${i % 3}"`, `"user":"u${i % 10}"`, `"at":${at}`, `"ts":${ts}`];
      values.forEach((v, k) => {
        if (v !== undefined) members.push(`${JSON.stringify(names[k])}:${v}`);
      });
      return `{${members.join(',')}}`;
    });
}

/** A nested JSON Lines dataset of `min`–`max` rows, cut into 1–3 files at random rows. */
export function nestedDataset(min: number, max: number): fc.Arbitrary<Uint8Array[]> {
  return fc
    .integer({ min, max })
    .chain((n) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => nestedRow(i))),
        fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { maxLength: 2 }),
      ),
    )
    .map(([rows, cuts]) => {
      const ends = [...cuts.sort((a, b) => a - b), rows.length];
      let from = 0;
      return ends.map((end) => {
        const part = rows.slice(from, end);
        from = end;
        return new TextEncoder().encode(part.map((r) => `${r}\n`).join(''));
      });
    });
}
