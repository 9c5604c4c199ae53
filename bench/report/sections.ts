import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const TITLE = '# Benchmarks\n';

function markers(name: string): [string, string] {
  return [`<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`];
}

/**
 * Replaces (or appends) one generated section of the report between its markers, leaving the rest
 * of the file, including sections other people write by hand, exactly as it was.
 */
export function upsertSection(text: string, name: string, body: string): string {
  const [start, end] = markers(name);
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from !== -1 && to > from) return text.slice(0, from) + block + text.slice(to + end.length);
  const base = (text.trim() === '' ? TITLE : text).trimEnd();
  return `${base}\n\n${block}\n`;
}

/** Reads the report (or starts one), replaces the named sections in order and writes it back. */
export function writeSections(path: string, sections: ReadonlyArray<readonly [string, string]>): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : TITLE;
  for (const [name, body] of sections) text = upsertSection(text, name, body);
  writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
}
