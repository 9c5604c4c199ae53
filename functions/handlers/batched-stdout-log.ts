/**
 * The Node server's request log: one JSON line per call, written to stdout in batches. A write
 * per request is a synchronous syscall on files and Linux pipes, a large share of a read
 * route's CPU under load; lines logged in the same turn of the event loop go out in one write.
 * Lambda keeps the API's default console sink, since a frozen sandbox would strand a batch.
 */
import type { LogSink } from '../api/context.js';

let pending: string[] = [];
let scheduled = false;
let hooked = false;

function flush(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  process.stdout.write(text);
}

/** Queues one line and writes the batch once the current I/O callbacks have run. */
export const batchedStdoutLog: LogSink = (line) => {
  pending.push(`${JSON.stringify(line)}\n`);
  if (!hooked) {
    // Lines still queued when the process exits (process.exit after SIGTERM) are written, not
    // lost. Hooked on first use rather than at import, so importing the module has no effect.
    hooked = true;
    process.once('exit', flush);
  }
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
};
