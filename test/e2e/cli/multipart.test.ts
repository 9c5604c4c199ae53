import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_PART_BYTES } from '../../../schemas/uploads.js';
import { buildCli, runCli, type Server, startServer } from './harness.js';

let server: Server;
let work: string;
let csv: string;
let sha256: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-multipart-'));
  await buildCli();
  server = await startServer(join(work, 'data'));
  // A little over three 5 MiB parts of real rows, so the freeze after the upload succeeds.
  const lines = ['id,label,value'];
  let size = 0;
  for (let i = 0; size < 3 * MIN_PART_BYTES + 1000; i++) {
    const line = `${i},${['a', 'b', 'c'][i % 3]},${(i * 7919) % 10007}`;
    lines.push(line);
    size += line.length + 1;
  }
  const body = `${lines.join('\n')}\n`;
  csv = join(work, 'big.csv');
  await writeFile(csv, body);
  sha256 = createHash('sha256').update(body).digest('hex');
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = () => ({
  SPLITVAULT_URL: server.url,
  SPLITVAULT_MULTIPART_THRESHOLD: String(MIN_PART_BYTES),
  SPLITVAULT_PART_BYTES: String(MIN_PART_BYTES),
  SPLITVAULT_UPLOAD_CONCURRENCY: '2',
});

describe('splitvault freeze of a file over the multipart threshold', () => {
  it('uploads it in parts, freezes it, and leaves no staged upload behind', async () => {
    const run = await runCli(['freeze', csv, '--strategy', 'random', '--seed', '1', '--json'], {
      cwd: work,
      env: env(),
    });
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.dataset).toEqual({ sha256, bytes: expect.any(Number), uploaded: true });
    expect(body.manifestId).toMatch(/^[0-9a-f]{64}$/);
    const audit = (await (await fetch(`${server.url}/v1/audit?target=dataset:${sha256}`)).json()) as {
      items: { details: { multipart?: boolean } }[];
    };
    expect(audit.items.map((e) => e.details.multipart)).toEqual([true]);
    expect(await readdir(join(work, 'data', 'uploads'))).toEqual([]);
  });

  it('uploads nothing the second time, since the store has the file', async () => {
    const run = await runCli(['freeze', csv, '--strategy', 'random', '--seed', '1', '--json'], {
      cwd: work,
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).dataset.uploaded).toBe(false);
  });
});
