import type { EngineFormatResult, EngineRowsResult } from '../engine/run-engine.js';
import { fixed, MB, mbps, mib, rowsPerSecond, table } from './format.js';

const TARGET_CSV_MBPS = 100;
const TARGET_ARROW_MBPS = 400;
const TARGET_RSS_RATIO = 3;
const STAGES = ['address', 'ingest', 'assign', 'encode', 'hash'] as const;

function stageCells(result: EngineFormatResult): string {
  return STAGES.map((stage) => {
    const seconds = result.stages[stage];
    return seconds === undefined ? 'n/a' : fixed(seconds, 2);
  }).join(' / ');
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'missed';
}

function targetLines(rows: EngineRowsResult): string[] {
  return rows.formats.map((result) => {
    const cpuSpeed = result.inputBytes / MB / result.e2e.cpuSeconds;
    const wallSpeed = result.inputBytes / MB / result.e2e.innerSeconds;
    const ratio = result.e2e.maxRssBytes / rows.arrowBytesInMemory;
    const want =
      result.format === 'csv' ? TARGET_CSV_MBPS : result.format === 'arrow' ? TARGET_ARROW_MBPS : undefined;
    const speed =
      want === undefined
        ? `${fixed(cpuSpeed)} MB/s per CPU second (no target)`
        : `${fixed(cpuSpeed)} MB/s per CPU second (${fixed(wallSpeed)} wall) against ≥${want}: ${verdict(cpuSpeed >= want)}`;
    return `- ${result.format}: ${speed}; peak RSS ${fixed(ratio, 2)}× Arrow against ≤${TARGET_RSS_RATIO}×: ${verdict(ratio <= TARGET_RSS_RATIO)}`;
  });
}

/** How close the hash stage (SHA-256 of the three split files) comes to one core's SHA-256 speed. */
function hashLines(rows: EngineRowsResult): string[] {
  return rows.formats.flatMap((result) => {
    const ceiling = rows.ceilings?.[result.format];
    const seconds = result.stages.hash;
    if (!ceiling || !seconds) return [];
    const s = result.e2e.splits;
    const speed = (s.train.bytes + s.validation.bytes + s.test.bytes) / MB / seconds;
    return [
      `- ${result.format}: ${fixed(speed)} MB/s, ${fixed((100 * speed) / ceiling.sha256MBps, 0)}% of the ceiling (hashlib SHA-256 of the input on one core: ${fixed(ceiling.sha256MBps)} MB/s; memory copy ${fixed(ceiling.copyMBps)} MB/s)`,
    ];
  });
}

/** The engine's own figures: per stage and end to end, against the targets. */
export function engineSection(results: readonly EngineRowsResult[], header: string): string {
  const parts = [
    '## Engine (one core, file → three hashed Arrow files)',
    '',
    header,
    '',
    'Every case runs in a fresh `node` process; the end-to-end case reads the file, computes its SHA-256',
    '(the dataset address), splits 80/10/10 at random and writes the three Arrow IPC files and the manifest.',
    'Stages (address / ingest / assign / encode / hash) are timed one after the other in a separate run,',
    'in CPU seconds (`process.cpuUsage`). Throughput is input bytes per CPU second of the whole process,',
    'start-up included, with wall-clock throughput (start-up excluded) beside it: the machine is shared, and',
    'CPU time is what contention cannot inflate. Peak RSS is `process.resourceUsage().maxRSS` of the',
    'end-to-end case; "× Arrow" divides it by the dataset\'s in-memory Arrow size (pyarrow `nbytes`).',
  ];
  for (const rows of results) {
    parts.push(
      '',
      `### ${rows.rows.toLocaleString('en-US')} rows (in-memory Arrow ${mib(rows.arrowBytesInMemory)})`,
      '',
    );
    const body = rows.formats.map((r) => [
      r.format,
      mib(r.inputBytes),
      stageCells(r),
      r.stages.ingest ? mbps(r.inputBytes, r.stages.ingest) : 'n/a',
      `${fixed(r.e2e.cpuSeconds, 2)} s`,
      mbps(r.inputBytes, r.e2e.cpuSeconds),
      mbps(r.inputBytes, r.e2e.innerSeconds),
      rowsPerSecond(rows.rows, r.e2e.cpuSeconds),
      mib(r.e2e.maxRssBytes),
      `${fixed(r.e2e.maxRssBytes / rows.arrowBytesInMemory, 2)}×`,
    ]);
    parts.push(
      table(
        [
          'input',
          'size',
          'CPU s: address / ingest / assign / encode / hash',
          'ingest MB/s',
          'end to end CPU',
          'MB/s (CPU)',
          'MB/s (wall)',
          'rows/s (CPU)',
          'peak RSS',
          '× Arrow',
        ],
        body,
      ),
      '',
      'Targets:',
      '',
      ...targetLines(rows),
    );
    const hashing = hashLines(rows);
    if (hashing.length > 0) parts.push('', 'Hashing the split files against the ceiling:', '', ...hashing);
  }
  return parts.join('\n');
}
