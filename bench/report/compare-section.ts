import { type CompareRowsResult, SPLITVAULT } from '../compare/run-compare.js';
import type { EngineRowsResult } from '../engine/run-engine.js';
import { fixed, MB, mbps, mib, table } from './format.js';

/** The issue's targets: how many times slower than splitvault each peer should be, at least. */
const TARGET_RATIO: Readonly<Record<string, number>> = { 'pandas+sklearn': 3, 'hf-datasets': 5, polars: 1 };

function hashShare(engine: EngineRowsResult | undefined, format: string, ceilingMBps: number): string {
  const result = engine?.formats.find((f) => f.format === format);
  const seconds = result?.stages.hash;
  if (!result || !seconds) return 'in the engine section (the engine part ran apart from this comparison)';
  const s = result.e2e.splits;
  const speed = (s.train.bytes + s.validation.bytes + s.test.bytes) / MB / seconds;
  return `${fixed(speed)} MB/s, ${fixed((100 * speed) / ceilingMBps, 0)}% of the ceiling`;
}

const PEER_TITLES: Readonly<Record<string, string>> = { 'hf-datasets': 'Hugging Face datasets' };

/** splitvault against the peers: medians, ratios (>1 means splitvault is faster) and row checks. */
export function compareSection(
  results: readonly CompareRowsResult[],
  engine: readonly EngineRowsResult[],
  header: string,
): string {
  const peers = [...new Set(results.flatMap((r) => r.formats.flatMap((f) => f.peers.map((p) => p.peer))))]
    .filter((peer) => peer !== SPLITVAULT)
    .map((peer) => PEER_TITLES[peer] ?? peer);
  const sizes = results.map((r) => r.rows.toLocaleString('en-US')).join(' and ');
  const against =
    peers.length > 1 ? `${peers.slice(0, -1).join(', ')} and ${peers.at(-1)}` : (peers[0] ?? 'no peer');
  const parts = [
    `## splitvault against ${against}${sizes ? ` (${sizes} rows)` : ''}`,
    '',
    header,
    '',
    'Each run is one process doing file → 80/10/10 split → three Arrow IPC files → SHA-256 of each (start-up',
    'and imports included, for every contender). Wall time is taken from outside; CPU time (user + system,',
    'all threads) is the process\'s own rusage. Runs alternate their order; figures are medians. "× splitvault"',
    "is the peer's time over splitvault's: above 1 means splitvault is faster. On a shared machine wall",
    "time swings with the neighbours' load, so the CPU ratio is the steadier one; polars uses both cores, so",
    'its wall time can be below its CPU time. Row counts are checked: every peer must write exactly the',
    'sizes splitvault wrote, or the run fails.',
  ];
  for (const rows of results) {
    for (const f of rows.formats) {
      const ours = f.peers.find((p) => p.peer === SPLITVAULT)!;
      parts.push('', `### ${rows.rows.toLocaleString('en-US')} rows, ${f.format} (${mib(f.inputBytes)})`, '');
      const body = f.peers.map((p) => [
        p.peer,
        String(p.runs),
        `${fixed(p.wallSeconds, 2)} s`,
        `${fixed(p.cpuSeconds, 2)} s`,
        mbps(f.inputBytes, p.wallSeconds),
        mib(p.maxRssBytes),
        fixed(p.wallSeconds / ours.wallSeconds, 2),
        fixed(p.cpuSeconds / ours.cpuSeconds, 2),
        `${p.rows.train}/${p.rows.validation}/${p.rows.test}`,
      ]);
      parts.push(
        table(
          [
            'contender',
            'runs',
            'wall',
            'CPU',
            'MB/s (wall)',
            'peak RSS',
            '× splitvault (wall)',
            '× splitvault (CPU)',
            'rows',
          ],
          body,
        ),
      );
      const targets = f.peers
        .filter((p) => TARGET_RATIO[p.peer] !== undefined)
        .map((p) => {
          const wall = p.wallSeconds / ours.wallSeconds;
          const cpu = p.cpuSeconds / ours.cpuSeconds;
          const want = TARGET_RATIO[p.peer]!;
          const verdict =
            wall >= want && cpu >= want ? 'met' : wall >= want || cpu >= want ? 'met on one clock' : 'missed';
          return `${p.peer} ${fixed(wall, 2)}× wall, ${fixed(cpu, 2)}× CPU (target ≥${want}×: ${verdict})`;
        });
      parts.push(
        '',
        `Targets: ${targets.join('; ') || 'n/a'}.`,
        `Ceilings on this file: SHA-256 ${fixed(f.ceiling.sha256MBps)} MB/s, memory copy ${fixed(f.ceiling.copyMBps)} MB/s.`,
        `Engine hashing of its three files: ${hashShare(
          engine.find((e) => e.rows === rows.rows),
          f.format,
          f.ceiling.sha256MBps,
        )}.`,
      );
    }
  }
  return parts.join('\n');
}
