/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists the functions with the most self time,
 * so a benchmark report can say where the engine's time goes by name.
 *
 *   tsx bench/profile/top-functions.ts FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/paths.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One function's share of the samples. */
export interface FunctionTime {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

function where(url: string, line: number): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? relative(ROOT, new URL(url).pathname) : url;
  return `${path}:${line + 1}`;
}

/** Self time per function (all call sites merged), largest first. */
export function topFunctions(profile: CpuProfile, limit = 15): FunctionTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, { name: string; where: string; us: number }>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)?.callFrame;
    const us = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    all += us;
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    const entry = totals.get(key) ?? {
      name: frame.functionName || '(anonymous)',
      where: where(frame.url, frame.lineNumber),
      us: 0,
    };
    entry.us += us;
    totals.set(key, entry);
  });
  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: all ? e.us / all : 0 }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, limit] = process.argv.slice(2);
  if (!file) throw new Error('usage: top-functions.ts FILE.cpuprofile [N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  for (const f of topFunctions(profile, Number(limit ?? 15))) {
    console.log(
      `${(100 * f.share).toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`,
    );
  }
}
