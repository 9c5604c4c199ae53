import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { http } from '../api/support/http-flow.js';
import { type Seeded, seedVault } from './seed.js';

describe('the console page of a quarantined alias', () => {
  let dir: string;
  let server: RunningServer;
  let seeded: Seeded;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-console-quarantine-'));
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
    seeded = await seedVault(server.url);
    const body = { manifestId: seeded.parent.id, reason: 'release', quarantine: true };
    await http(server.url, 'PUT', '/v1/aliases/guarded', body);
    await http(server.url, 'PUT', '/v1/aliases/guarded/policy', {
      quarantine: false,
      reason: 'audit window',
    });
    await http(server.url, 'PUT', '/v1/aliases/guarded/policy', { quarantine: true, reason: 'back on' });
    const moved = { manifestId: seeded.child.id, reason: 'legacy freeze', allowTestLeak: true };
    expect((await http(server.url, 'PUT', '/v1/aliases/guarded', moved)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the policy beside the current target and each policy change in the timeline', async () => {
    const page = await (await fetch(`${server.url}/ui/aliases/guarded`)).text();
    expect(page).toContain('data-quarantine="on"');
    expect(page).toMatch(/Test quarantine turned off by \S+ at/);
    expect(page).toMatch(/Test quarantine turned on by \S+ at/);
    const plain = await (await fetch(`${server.url}/ui/aliases/prod`)).text();
    expect(plain).not.toContain('data-quarantine');
  });

  it('shows a rollback the quarantine refuses as a conflict, and moves nothing', async () => {
    const answer = await fetch(`${server.url}/ui/aliases/guarded/rollback`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: 'reason=regression&expectedRevision=4',
    });
    expect(answer.status).toBe(409);
    expect(await answer.text()).toContain('Not rolled back');
    expect((await http(server.url, 'GET', '/v1/aliases/guarded')).json).toMatchObject({ revision: 4 });
  });
});
