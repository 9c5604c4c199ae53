import type { FormatProfile } from '../profile/profile-engine.js';
import { fixed, table } from './format.js';

/** Where the engine's end-to-end time goes, by function, for its owners. */
export function profileSection(profiles: readonly FormatProfile[]): string {
  const parts = [
    '## Where the engine spends its time',
    '',
    'One end-to-end run per input under `node --cpu-prof`, self time per function (V8 sampling; the',
    "profiler itself adds some overhead). `wasm-function[…]` is parquet-wasm's Rust decoder.",
  ];
  for (const p of profiles) {
    parts.push('', `### ${p.rows.toLocaleString('en-US')} rows, ${p.format}`, '');
    parts.push(
      table(
        ['self time', 'share', 'function', 'where'],
        p.top.map((f) => [
          `${fixed(f.selfMs, 0)} ms`,
          `${fixed(100 * f.share, 1)}%`,
          `\`${f.name}\``,
          f.source ?? (f.where.includes('engine-case-') ? '(bench bundle)' : f.where),
        ]),
      ),
    );
  }
  return parts.join('\n');
}
