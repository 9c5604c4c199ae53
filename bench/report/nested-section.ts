import type { NestedCaseResult } from '../engine/nested-cases.js';
import { fixed, MB, mib, table } from './format.js';

/** The nested and dictionary cases of bench:engine as a Markdown section. */
export function nestedSection(results: readonly NestedCaseResult[], machine: string): string {
  const rows = results.map((r) => [
    `${r.name}: ${r.what}`,
    r.rows.toLocaleString('en-US'),
    mib(r.inputBytes),
    fixed(r.innerSeconds, 2),
    fixed(r.inputBytes / MB / r.innerSeconds),
    fixed(r.inputBytes / MB / r.cpuSeconds),
    `${fixed(r.encodeSeconds, 3)} (${fixed(r.inputBytes / MB / r.encodeSeconds)} MB/s)`,
    mib(r.maxRssBytes),
    `${fixed(r.maxRssBytes / r.arrowBytesInMemory, 2)}×`,
  ]);
  return [
    '## Engine on nested and dictionary columns (Arrow IPC file → three hashed Arrow files)',
    '',
    machine,
    '',
    'Random split 80/10/10; medians over the runs, each run a fresh process. MB/s is input MB',
    '(10^6 bytes) over the seconds inside the process (wall) or its CPU seconds; the encode stage',
    "is timed on its own. Peak RSS is the process's, against pyarrow's in-memory size of the table.",
    '',
    table(
      ['case', 'rows', 'input', 'e2e s', 'MB/s wall', 'MB/s CPU', 'encode s', 'peak RSS', 'RSS / Arrow'],
      rows,
    ),
  ].join('\n');
}
