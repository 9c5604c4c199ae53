import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchFormat } from '../lib/config.js';
import type { DatasetMeta } from '../lib/dataset.js';
import { runChild } from '../lib/run-child.js';
import { functionLocator } from './locate.js';
import { type FunctionTime, topFunctions } from './top-functions.js';

export interface FormatProfile {
  readonly format: BenchFormat;
  readonly rows: number;
  readonly top: readonly (FunctionTime & { readonly source?: string })[];
}

/**
 * Runs the end-to-end case once under `node --cpu-prof` per format and keeps the functions with
 * the most self time, named by their source file where the engine defines them.
 */
export async function profileEngine(
  caseFile: string,
  meta: DatasetMeta,
  formats: readonly BenchFormat[],
  seed: number,
  workDir: string,
): Promise<FormatProfile[]> {
  const locate = functionLocator();
  const profiles: FormatProfile[] = [];
  for (const format of formats) {
    const dir = join(workDir, `prof-${meta.rows}-${format}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`profile: ${meta.rows} rows ${format}\n`);
    const file = meta.files[format].path;
    const args = [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      caseFile,
      '--mode',
      'e2e',
      '--input',
      file,
      '--format',
      format,
      '--seed',
      String(seed),
    ];
    await runChild(process.execPath, args);
    const profileFile = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!profileFile) throw new Error(`node --cpu-prof wrote no profile into ${dir}`);
    const top = topFunctions(JSON.parse(readFileSync(join(dir, profileFile), 'utf8')), 10).map((f) => {
      const source = f.where.includes('engine-case-') ? locate(f.name) : undefined;
      return source ? { ...f, source } : f;
    });
    profiles.push({ format, rows: meta.rows, top });
  }
  return profiles;
}
