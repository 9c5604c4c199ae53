/** Decimal megabytes, as throughput figures use. */
export const MB = 1e6;

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** Binary size, with enough digits that small smoke-test files don't all read "0". */
export function mib(bytes: number): string {
  if (bytes < 2 ** 20) return `${fixed(bytes / 2 ** 10, 0)} KiB`;
  return `${fixed(bytes / 2 ** 20, bytes < 100 * 2 ** 20 ? 1 : 0)} MiB`;
}

export function mbps(bytes: number, seconds: number): string {
  return fixed(bytes / MB / seconds, 1);
}

export function rowsPerSecond(rows: number, seconds: number): string {
  return `${fixed(rows / seconds / 1e6, 2)} M`;
}

/** A Markdown table with padded columns, the layout the repo's formatter (biome) keeps. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) =>
    Math.max(3, [...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '') + ' '.repeat(w - [...(cells[i] ?? '')].length)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
