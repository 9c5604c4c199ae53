import { printable } from './terminal-text.js';

/**
 * A plain-text table: columns padded to their widest cell, numbers right-aligned. Cells are
 * made printable (reasons and notes are anyone's text), which also keeps each row one line.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = rows.map((row) =>
    headers.map((_, i) => {
      const cell = row[i] ?? '';
      return typeof cell === 'number' ? cell : printable(cell);
    }),
  );
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => String(row[i]).length)));
  const line = (row: readonly (string | number)[]) =>
    row
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return typeof cell === 'number' ? String(cell).padStart(width) : String(cell).padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Aligned "key  value" lines for one record. */
export function renderFields(fields: readonly (readonly [string, string | number | undefined])[]): string {
  const shown = fields.filter(([, value]) => value !== undefined);
  const width = Math.max(0, ...shown.map(([key]) => key.length));
  return shown
    .map(([key, value]) => `${`${key}:`.padEnd(width + 1)}  ${printable(String(value))}`)
    .join('\n');
}
