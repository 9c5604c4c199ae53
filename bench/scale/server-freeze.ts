/**
 * One freeze on a fresh embedded server, as `npm start` runs it (127.0.0.1), with a worker memory
 * budget and a worker count: its wall time and the server's peak RSS.
 *
 * The dataset's files enter the store by hard links (the store's published form: read-only,
 * under their SHA-256) and are registered through the API, which answers at once for bytes
 * already stored: at 50M rows the disk can't hold the files, a second copy and the split files
 * together. Uploads are measured on their own (docs/MULTIPART-UPLOAD.md).
 */
import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { apiClient, linkIntoStore, processMemory, startServer, waitUp } from './embedded-server.js';

export interface ServerFreezeOptions {
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  /** The server's data directory; created, and removed after the run. */
  readonly dataDir: string;
  /** SPLITVAULT_WORKER_MEMORY. */
  readonly budgetBytes: number;
  /** SPLITVAULT_WORKERS. */
  readonly workers: number;
  readonly spec: Record<string, unknown>;
  /** Called with each new job stage, for progress on stderr. */
  readonly onStage?: (line: string) => void;
}

export interface ServerFreezeResult {
  readonly state: string;
  readonly error?: unknown;
  readonly manifestId?: string;
  /** From the job's submission to its success: hash check, shard passes, split files stored. */
  readonly freezeSeconds: number;
  /** The server process's VmHWM (its job and worker threads included). */
  readonly peakRssBytes: number;
  /** The server's CPU seconds (all threads) from submission to the job's end. */
  readonly cpuSeconds: number;
  /** VmRSS just before the job was submitted: the server with nothing to do. */
  readonly idleRssBytes: number;
  /** Seconds at which each stage was first seen, from submission. */
  readonly stages: Readonly<Record<string, number>>;
  readonly splits?: unknown;
}

/** A freeze still running after this is stuck: 50M rows take minutes, not hours. */
const FREEZE_TIMEOUT_MS = 90 * 60_000;

/** User + system CPU seconds of a process so far, every thread (from /proc, in clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Links each file into the store under its SHA-256 and returns the registration's file list. */
async function stock(options: ServerFreezeOptions) {
  const out = [];
  for (const file of options.files) {
    const sha256 = await linkIntoStore(options.dataDir, file.path);
    out.push({ sha256, bytes: file.bytes, name: basename(file.path) });
  }
  return out;
}

/** Freezes the files on a fresh server; the data directory is removed afterwards, whatever happens. */
export async function freezeOnServer(options: ServerFreezeOptions): Promise<ServerFreezeResult> {
  await rm(options.dataDir, { recursive: true, force: true });
  const files = await stock(options);
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const api = apiClient(`http://127.0.0.1:${port}`);
  const server = startServer(port, {
    SPLITVAULT_DATA_DIR: options.dataDir,
    SPLITVAULT_WORKER_MEMORY: String(options.budgetBytes),
    SPLITVAULT_WORKERS: String(options.workers),
  });
  try {
    await waitUp(`http://127.0.0.1:${port}`, server);
    const registered =
      files.length === 1
        ? await api('POST', '/v1/uploads', { sha256: files[0]!.sha256, bytes: files[0]!.bytes })
        : await api('POST', '/v1/datasets', { files });
    const dataset = registered.json.dataset;
    if (registered.status >= 300 || dataset?.status !== 'available')
      throw new Error(`registration failed: ${JSON.stringify(registered.json)}`);
    const idle = await processMemory(server.pid!);
    const cpuBefore = await cpuSeconds(server.pid!);
    const submitted = await api('POST', '/v1/splits', { dataset: dataset.sha256, spec: options.spec });
    if (submitted.status >= 300) throw new Error(JSON.stringify(submitted.json));
    const started = Date.now();
    const jobId = submitted.json.job!.id;
    const stages: Record<string, number> = {};
    let peak = 0;
    for (;;) {
      if (Date.now() - started > FREEZE_TIMEOUT_MS)
        throw new Error(`job ${jobId} ran past ${FREEZE_TIMEOUT_MS} ms`);
      peak = Math.max(peak, (await processMemory(server.pid!)).hwm);
      const job = (await api('GET', `/v1/jobs/${jobId}`)).json;
      const stage = job.progress?.stage ?? job.state ?? '';
      if (!(stage in stages)) {
        stages[stage] = (Date.now() - started) / 1000;
        options.onStage?.(
          `${stage} at ${stages[stage]!.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
        );
      }
      if (job.state === 'succeeded' || job.state === 'failed') {
        const freezeSeconds = (Date.now() - started) / 1000;
        const cpu = (await cpuSeconds(server.pid!)) - cpuBefore;
        peak = Math.max(peak, (await processMemory(server.pid!)).hwm);
        const manifestId = job.result?.manifestId ?? job.manifestId;
        const splits = manifestId
          ? (await api('GET', `/v1/splits/${manifestId}`)).json.manifest?.splits
          : undefined;
        return {
          state: job.state,
          ...(job.error ? { error: job.error } : {}),
          ...(manifestId ? { manifestId } : {}),
          freezeSeconds,
          cpuSeconds: cpu,
          peakRssBytes: peak,
          idleRssBytes: idle.rss,
          stages,
          ...(splits ? { splits } : {}),
        };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      // The server drains its running job before it exits: a failed or stuck run is killed.
      const force = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    await rm(options.dataDir, { recursive: true, force: true });
  }
}
