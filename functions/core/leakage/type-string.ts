import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  Decimal,
  Dictionary,
  Duration,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Interval,
  IntervalUnit,
  LargeBinary,
  LargeList,
  LargeUtf8,
  List,
  Map_,
  Null,
  Struct,
  Time,
  Timestamp,
  TimeUnit,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';

/**
 * Reads back the type strings of a manifest's schema (docs/SPLIT-SPEC.md §6.6): apache-arrow 21's
 * `toString()` of every type a split file carries. Field names and time zones are written
 * unquoted, so a name holding `:` or `, ` can make a string readable in more than one way. The
 * readings come lazily in one fixed order (§8.6): each name and zone as short as the rest of the
 * string allows, from the left; the caller takes the first reading that fits the row.
 */

type Parse = readonly [DataType, number];

const UNITS = ['SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND'] as const;
const unitOf = (word: string) => TimeUnit[word as keyof typeof TimeUnit];

/** Types whose string is a fixed word (no word is a prefix of another). */
const WORDS: readonly [string, () => DataType][] = [
  ['Null', () => new Null()],
  ['Bool', () => new Bool()],
  ['Int8', () => new Int8()],
  ['Int16', () => new Int16()],
  ['Int32', () => new Int32()],
  ['Int64', () => new Int64()],
  ['Uint8', () => new Uint8()],
  ['Uint16', () => new Uint16()],
  ['Uint32', () => new Uint32()],
  ['Uint64', () => new Uint64()],
  ['Float16', () => new Float16()],
  ['Float32', () => new Float32()],
  ['Float64', () => new Float64()],
  ['Utf8', () => new Utf8()],
  ['LargeUtf8', () => new LargeUtf8()],
  ['Binary', () => new Binary()],
  ['LargeBinary', () => new LargeBinary()],
  ['Date32<DAY>', () => new DateDay()],
  ['Date64<MILLISECOND>', () => new DateMillisecond()],
  ['Time32<SECOND>', () => new Time(TimeUnit.SECOND, 32)],
  ['Time32<MILLISECOND>', () => new Time(TimeUnit.MILLISECOND, 32)],
  ['Time64<MICROSECOND>', () => new Time(TimeUnit.MICROSECOND, 64)],
  ['Time64<NANOSECOND>', () => new Time(TimeUnit.NANOSECOND, 64)],
  ['Interval<YEAR_MONTH>', () => new Interval(IntervalUnit.YEAR_MONTH)],
  ['Interval<DAY_TIME>', () => new Interval(IntervalUnit.DAY_TIME)],
  ['Interval<MONTH_DAY_NANO>', () => new Interval(IntervalUnit.MONTH_DAY_NANO)],
  ...UNITS.flatMap((u): [string, () => DataType][] => [
    [`Duration<${u}>`, () => new Duration(unitOf(u))],
    [`Timestamp<${u}>`, () => new Timestamp(unitOf(u))],
  ]),
];

const DECIMAL = /^Decimal\[(\d+)e([+-]?\d+)\]/;
const SIZED = /^(FixedSizeBinary|FixedSizeList)\[(\d+)\]/;
const INDEX_TYPES = ['Int8', 'Int16', 'Int32', 'Int64', 'Uint8', 'Uint16', 'Uint32', 'Uint64'];

const matchAt = (re: RegExp, s: string, at: number) => re.exec(s.slice(at));

/** Readings of a type followed by `>`, each with the position just past the `>`. */
function* closed(s: string, at: number): Generator<Parse> {
  for (const [t, end] of readings(s, at)) if (s[end] === '>') yield [t, end + 1];
}

function* lists(s: string, at: number): Generator<Parse> {
  const item = (t: DataType) => new Field('item', t, true);
  if (s.startsWith('List<', at)) for (const [t, end] of closed(s, at + 5)) yield [new List(item(t)), end];
  if (s.startsWith('LargeList<', at)) {
    for (const [t, end] of closed(s, at + 10)) yield [new LargeList(item(t)), end];
  }
  const sized = matchAt(SIZED, s, at);
  if (sized?.[1] === 'FixedSizeList' && s[at + sized[0].length] === '<') {
    for (const [t, end] of closed(s, at + sized[0].length + 1)) {
      yield [new FixedSizeList(Number(sized[2]), item(t)), end];
    }
  }
}

/** Readings of `{name:T, name:T}` after the fields read so far, each name as short as can be. */
function* fieldLists(
  s: string,
  at: number,
  fields: readonly Field[] = [],
): Generator<readonly [Field[], number]> {
  for (let colon = s.indexOf(':', at); colon >= 0; colon = s.indexOf(':', colon + 1)) {
    for (const [t, end] of readings(s, colon + 1)) {
      const next = [...fields, new Field(s.slice(at, colon), t, true)];
      if (s[end] === '}') yield [next, end + 1];
      else if (s.startsWith(', ', end)) yield* fieldLists(s, end + 2, next);
    }
  }
}

function* structsAndMaps(s: string, at: number): Generator<Parse> {
  const makers: readonly [string, (fields: Field[]) => DataType][] = [
    ['Struct<{', (fields) => new Struct(fields)],
    // Map_ names its entries, key and value fields itself, as apache-arrow's reader does.
    [
      'Map<{',
      (fields) =>
        new Map_(new Field('entries', new Struct<{ key: DataType; value: DataType }>(fields), false)),
    ],
  ];
  for (const [word, make] of makers) {
    if (!s.startsWith(word, at)) continue;
    const from = at + word.length;
    if (s.startsWith('}>', from)) yield [make([]), from + 2];
    for (const [fields, end] of fieldLists(s, from)) if (s[end] === '>') yield [make(fields), end + 1];
  }
}

function* dictionaries(s: string, at: number): Generator<Parse> {
  if (!s.startsWith('Dictionary<', at)) return;
  const from = at + 11;
  const index = INDEX_TYPES.find((word) => s.startsWith(`${word}, `, from));
  if (!index) return;
  const indexType = WORDS.find(([word]) => word === index)![1]() as Int32;
  for (const [t, end] of closed(s, from + index.length + 2)) yield [new Dictionary(t, indexType), end];
}

/** `Timestamp<UNIT, zone>`: the zone is the text up to a `>`, the nearest first. */
function* zonedTimestamps(s: string, at: number): Generator<Parse> {
  for (const u of UNITS) {
    const head = `Timestamp<${u}, `;
    if (!s.startsWith(head, at)) continue;
    for (let end = s.indexOf('>', at + head.length); end >= 0; end = s.indexOf('>', end + 1)) {
      yield [new Timestamp(unitOf(u), s.slice(at + head.length, end)), end + 1];
    }
  }
}

function* readings(s: string, at: number): Generator<Parse> {
  for (const [word, make] of WORDS) if (s.startsWith(word, at)) yield [make(), at + word.length];
  const decimal = matchAt(DECIMAL, s, at);
  // The bit width is not in the string; 256 bits hold every precision a decimal may have.
  if (decimal) yield [new Decimal(Number(decimal[2]), Number(decimal[1]), 256), at + decimal[0].length];
  const sized = matchAt(SIZED, s, at);
  if (sized?.[1] === 'FixedSizeBinary') yield [new FixedSizeBinary(Number(sized[2])), at + sized[0].length];
  yield* lists(s, at);
  yield* structsAndMaps(s, at);
  yield* dictionaries(s, at);
  yield* zonedTimestamps(s, at);
}

/**
 * The types whose apache-arrow 21 string is exactly `text`, in the order of §8.6: none for a
 * type split files don't carry, usually one, more only when a name holds the notation's marks.
 */
export function* typeReadings(text: string): Generator<DataType> {
  for (const [t, end] of readings(text, 0)) if (end === text.length && String(t) === text) yield t;
}
