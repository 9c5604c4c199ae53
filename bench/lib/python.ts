import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

const BENCH_PYTHON = join(ROOT, '.tools', 'bench-venv', 'bin', 'python');

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Builds (or reuses) the peers' venv from bench/requirements.txt and returns its python. */
export function ensureBenchVenv(): string {
  return lastLine(execFileSync('bash', [join(ROOT, 'bench', 'venv.sh')], { encoding: 'utf8' }));
}

/** The peers' python if that venv is already built, without building it. */
export function existingBenchPython(): string | undefined {
  return existsSync(BENCH_PYTHON) ? BENCH_PYTHON : undefined;
}

/**
 * A python with numpy and pyarrow for the data generator: BENCH_PYTHON, else the peers' venv if
 * built, else the test venv (scripts/python-venv.sh), so the smoke test needs no heavy install.
 */
export function generatorPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BENCH_PYTHON) return env.BENCH_PYTHON;
  const bench = existingBenchPython();
  if (bench) return bench;
  const venv = lastLine(
    execFileSync('bash', [join(ROOT, 'scripts', 'python-venv.sh')], { encoding: 'utf8' }),
  );
  return join(venv, 'bin', 'python');
}
