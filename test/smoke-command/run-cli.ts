import { Writable } from 'node:stream';
import { runCli } from '../../functions/cli/program.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one CLI command line in this process, capturing what it prints. */
export async function runCliInProcess(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await runCli(args, {
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: Object.assign(
      sink((text) => {
        stderr += text;
      }),
      { isTTY: false },
    ) as unknown as NodeJS.WriteStream,
    env,
    cwd: process.cwd(),
    version: '0.0.0-test',
  });
  return { code, stdout, stderr };
}
