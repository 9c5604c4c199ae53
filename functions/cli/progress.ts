import { SingleBar } from 'cli-progress';
import type { Job } from '../../schemas/records.js';

/** A progress display; the no-op one is used whenever stderr is not a terminal. */
export interface Progress {
  start(total: number, label: string): void;
  update(value: number, status?: string): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

function bar(stream: NodeJS.WriteStream): Progress {
  let current: SingleBar | undefined;
  return {
    start(total, label) {
      current?.stop();
      current = new SingleBar({
        stream,
        format: `${label.padEnd(12)} [{bar}] {percentage}% {value}/{total} {status}`,
        hideCursor: true,
        clearOnComplete: false,
      });
      current.start(total, 0, { status: '' });
    },
    update(value, status) {
      current?.update(value, { status: status ?? '' });
    },
    stop() {
      current?.stop();
      current = undefined;
    },
  };
}

/** Bars go to stderr, and only to a terminal, so stdout stays clean for --json and pipes. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? bar(stream) : silent;
}

/** One JSON line per job poll: what --json shows of a running job (stdout keeps its document). */
export function jobPollLines(
  stream: Pick<NodeJS.WritableStream, 'write'>,
): (job: Job, elapsedMs: number) => void {
  return (job, elapsedMs) => {
    const line = {
      job: job.id,
      state: job.state,
      ...(job.progress ? { progress: job.progress } : {}),
      elapsedMs,
    };
    stream.write(`${JSON.stringify(line)}\n`);
  };
}
