/**
 * The decoded-size budget reaches the job threads: the embedded server runs each freeze in a
 * worker thread that builds its own deps, so the budget must travel with the thread's config.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { csvDataset, RANDOM_SPEC } from '../api/support/dataset.js';
import { http, uploadOverHttp } from '../api/support/http-flow.js';

// 200,000 rows: far more cells than 1 MiB holds at 16 bytes a cell.
const data = csvDataset(200_000, 5);

describe('the embedded server with a small decoded-size budget', () => {
  let server: RunningServer | undefined;
  let dir = '';
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a freeze over SPLITVAULT_MAX_DECODED_BYTES in its job thread with 413', async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-budget-'));
    server = await startServer(
      loadConfig({
        PORT: '0',
        SPLITVAULT_DATA_DIR: join(dir, 'data'),
        SPLITVAULT_MAX_DECODED_BYTES: String(2 ** 20),
      }),
    );
    const { url } = server;
    await uploadOverHttp(url, data);
    const frozen = await http(url, 'POST', '/v1/splits?wait=60', { dataset: data.sha256, spec: RANDOM_SPEC });
    expect(frozen.status).toBe(413);
    expect(frozen.json.code).toMatch(/^DATASET\.(TOO_MANY_CELLS|TOO_LARGE_DECODED)$/);
    expect(frozen.json.detail).toContain(String(2 ** 20 / 16));
  }, 120_000);
});
