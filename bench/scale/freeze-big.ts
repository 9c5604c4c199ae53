/**
 * Freezes one big CSV on a fresh embedded server with a worker memory budget and reports the
 * server's peak RSS against it (BENCHMARKS.md, "Freezing 20 GB within a 2 GiB budget").
 *
 * Usage: tsx bench/scale/freeze-big.ts CSV_PATH DATA_DIR [BUDGET_BYTES] [SPEC_JSON]
 *
 * The CSV enters the store by a hard link (the store's published form: read-only, under its
 * SHA-256), then is registered through POST /v1/uploads, which answers at once for bytes
 * already stored: on this machine's disk the file, a second copy of it and the split files
 * would not fit together. Uploads of that size are measured on their own (multipart,
 * docs/MULTIPART-UPLOAD.md). The server runs as `npm start` does, bound to 127.0.0.1.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { apiClient, linkIntoStore, processMemory, startServer, waitUp } from './embedded-server.js';

const [csvPath, dataDirArg, budgetArg, specArg] = process.argv.slice(2);
if (!csvPath || !dataDirArg)
  throw new Error('usage: freeze-big.ts CSV_PATH DATA_DIR [BUDGET_BYTES] [SPEC_JSON]');
// Absolute, because the server runs from the repository root, which may not be the caller's directory.
const dataDir = resolve(dataDirArg);
const budget = Number(budgetArg ?? 2 ** 31);
const spec = specArg
  ? JSON.parse(specArg)
  : { strategy: 'random', seed: 42, ratios: { train: 0.8, validation: 0.1, test: 0.1 } };
const port = 18_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

const { size } = await stat(csvPath);
const sha256 = await linkIntoStore(dataDir, csvPath);
console.log(`[${seconds()} s] ${csvPath}: ${size} bytes, sha256 ${sha256}`);

const api = apiClient(base);
const server = startServer(port, {
  SPLITVAULT_DATA_DIR: dataDir,
  SPLITVAULT_WORKER_MEMORY: String(budget),
});
try {
  await waitUp(base, server);
  // The multipart route registers a dataset of any size, and answers at once (no upload) when
  // its bytes are already stored, as here.
  const registered = await api('POST', '/v1/uploads', { sha256, bytes: size, name: 'big.csv' });
  console.log(`[${seconds()} s] dataset ${registered.json.dataset?.status}`);
  const submitted = await api('POST', '/v1/splits', { dataset: sha256, spec });
  if (submitted.status >= 300) throw new Error(JSON.stringify(submitted.json));
  const jobId = submitted.json.job!.id;
  const freezeStart = Date.now();
  let peak = 0;
  let lastStage = '';
  for (;;) {
    const mem = await processMemory(server.pid!);
    peak = Math.max(peak, mem.hwm);
    const job = (await api('GET', `/v1/jobs/${jobId}`)).json;
    const stage = job.progress
      ? `${job.progress.stage} ${job.progress.done}/${job.progress.total}`
      : (job.state ?? '');
    if (stage !== lastStage) {
      console.log(
        `[${seconds()} s] ${stage}  rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, peak ${(mem.hwm / 2 ** 20).toFixed(0)} MiB`,
      );
      lastStage = stage;
    }
    if (job.state === 'succeeded' || job.state === 'failed') {
      const wall = (Date.now() - freezeStart) / 1000;
      console.log(
        JSON.stringify(
          {
            status: job.state,
            error: job.error,
            manifestId: job.result?.manifestId ?? job.manifestId,
            freezeSeconds: wall,
            peakRssBytes: peak,
            budgetBytes: budget,
            peakOverBudgetBytes: peak - budget,
          },
          null,
          1,
        ),
      );
      if (job.state === 'succeeded') {
        const id = job.result?.manifestId ?? job.manifestId;
        const manifest = (await api('GET', `/v1/splits/${id}`)).json;
        console.log(JSON.stringify(manifest.manifest?.splits ?? manifest.splits ?? manifest, null, 1));
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
} finally {
  server.kill('SIGTERM');
}
