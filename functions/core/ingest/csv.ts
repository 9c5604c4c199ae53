import { DatasetError } from '../errors.js';
import { CELL_ESCAPED, type ColumnCells } from './cells.js';
import { lineAt, tokenizeCsv } from './csv-tokenize.js';
import { tooManyCells } from './limits.js';
import { assertUtf8, bomLength } from './utf8.js';

const decoder = new TextDecoder();

/** The header row's names; refuses an empty or repeated name. */
export function headerNames(
  bytes: Uint8Array,
  start: Uint32Array,
  end: Uint32Array,
  flags: Uint8Array,
  width: number,
) {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let c = 0; c < width; c++) {
    let name = decoder.decode(bytes.subarray(start[c]!, end[c]!));
    if (flags[c]! & CELL_ESCAPED) name = name.replaceAll('""', '"');
    if (name === '') {
      throw new DatasetError(
        'CSV.EMPTY_COLUMN_NAME',
        `header field ${c + 1} is empty; every column needs a name`,
        {
          details: { index: c + 1 },
        },
      );
    }
    if (seen.has(name)) {
      throw new DatasetError('CSV.DUPLICATE_COLUMN', `the header names column "${name}" more than once`, {
        details: { column: name },
      });
    }
    seen.add(name);
    names.push(name);
  }
  return names;
}

/**
 * CSV (RFC 4180, header row required) to untyped cells per column; see docs/SPLIT-SPEC.md.
 * Every cell takes at least a delimiter byte, so CSV can't hold more cells than bytes; the
 * `maxCells` check still refuses, before typing, a table the decoded-size budget can't hold.
 */
export function csvColumns(
  bytes: Uint8Array,
  delimiter: string,
  maxCells = Number.POSITIVE_INFINITY,
): ColumnCells[] {
  assertUtf8(bytes);
  const { cells, width } = tokenizeCsv(bytes, bomLength(bytes), delimiter.charCodeAt(0));
  if (width === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset is empty: no header and no rows');
  const { start, end, flags } = cells;
  const names = headerNames(bytes, start, end, flags, width);
  const rows = cells.length / width - 1;
  if (rows * width > maxCells) throw tooManyCells(rows, width, maxCells);
  const locate = (row: number): string => `line ${lineAt(bytes, start[(row + 1) * width]!)}`;
  return names.map((name, c) => ({
    name,
    bytes,
    start,
    end,
    flags,
    first: width + c,
    stride: width,
    rows,
    locate,
  }));
}
