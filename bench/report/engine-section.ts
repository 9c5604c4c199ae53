import type { EngineFormatResult, EngineRowsResult } from '../engine/run-engine.js';
import { fixed, MB, mbps, mib, rowsPerSecond, table } from './format.js';

const TARGET_CSV_MBPS = 100;
const TARGET_ARROW_MBPS = 400;
const TARGET_RSS_RATIO = 3;

function stageCell(result: EngineFormatResult, stage: string): string {
  const seconds = result.stages[stage];
  return seconds === undefined ? 'n/a' : `${fixed(seconds, 2)} s`;
}

function targetLine(rows: EngineRowsResult): string[] {
  const lines: string[] = [];
  for (const result of rows.formats) {
    const speed = result.inputBytes / MB / result.e2e.innerSeconds;
    const ratio = result.e2e.maxRssBytes / rows.arrowBytesInMemory;
    const want =
      result.format === 'csv' ? TARGET_CSV_MBPS : result.format === 'arrow' ? TARGET_ARROW_MBPS : undefined;
    const speedText =
      want === undefined
        ? `${fixed(speed)} MB/s (no target)`
        : `${fixed(speed)} MB/s against ≥${want}: ${speed >= want ? 'met' : 'missed'}`;
    const memText = `peak RSS ${fixed(ratio, 2)}× Arrow against ≤${TARGET_RSS_RATIO}×: ${ratio <= TARGET_RSS_RATIO ? 'met' : 'missed'}`;
    lines.push(`- ${result.format}: ${speedText}; ${memText}`);
  }
  return lines;
}

/** The engine's own figures: per stage and end to end, against the targets. */
export function engineSection(results: readonly EngineRowsResult[], header: string): string {
  const parts = [
    '## Engine (one core, file → three hashed Arrow files)',
    '',
    header,
    '',
    'Every case runs in a fresh `node` process. Throughput is input bytes over the time inside the process',
    '(start-up excluded); stages are timed one after the other in a separate run of the same process kind.',
    'Peak RSS is `process.resourceUsage().maxRSS` of the end-to-end case; "× Arrow" compares it with the',
    "dataset's in-memory Arrow size (pyarrow `nbytes`).",
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
      `${stageCell(r, 'address')} / ${stageCell(r, 'ingest')} / ${stageCell(r, 'assign')} / ${stageCell(r, 'encode')} / ${stageCell(r, 'hash')}`,
      r.stages.ingest ? mbps(r.inputBytes, r.stages.ingest) : 'n/a',
      `${fixed(r.e2e.innerSeconds, 2)} s`,
      mbps(r.inputBytes, r.e2e.innerSeconds),
      rowsPerSecond(rows.rows, r.e2e.innerSeconds),
      mib(r.e2e.maxRssBytes),
      `${fixed(r.e2e.maxRssBytes / rows.arrowBytesInMemory, 2)}×`,
    ]);
    parts.push(
      table(
        [
          'input',
          'size',
          'address / ingest / assign / encode / hash',
          'ingest MB/s',
          'end to end',
          'MB/s',
          'rows/s',
          'peak RSS',
          '× Arrow',
        ],
        body,
      ),
      '',
      'Targets:',
      ...targetLine(rows),
    );
  }
  return parts.join('\n');
}
