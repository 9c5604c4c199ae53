import { spawn } from 'node:child_process';

/** A finished child process: its wall time and the JSON object it printed last. */
export interface ChildResult<T> {
  readonly wallSeconds: number;
  readonly result: T;
}

export interface RunChildOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Hard stop so a stuck run can't hold the machine; the run then fails loudly. */
  readonly timeoutMs?: number;
}

/**
 * Runs one measured case in its own process. Stderr is passed through so progress stays visible;
 * stdout's last non-empty line must be the case's JSON result.
 */
export function runChild<T>(command: string, args: readonly string[], options: RunChildOptions = {}) {
  return new Promise<ChildResult<T>>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: options.timeoutMs ?? 30 * 60_000,
      killSignal: 'SIGKILL',
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const out = Buffer.concat(chunks).toString('utf8').trim();
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${out.slice(-2000)}`));
        return;
      }
      const last = out.split('\n').at(-1) ?? '';
      try {
        resolve({ wallSeconds, result: JSON.parse(last) as T });
      } catch (cause) {
        reject(new Error(`${command} printed no JSON result line: "${last.slice(0, 200)}"`, { cause }));
      }
    });
  });
}
