import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { call } from '../reliability/support/call.js';
import { BACKENDS, createHarness } from '../reliability/support/harness.js';
import { csv, freeze, setAlias, upload } from '../reliability/support/seed.js';
import { TOKENS } from '../reliability/support/tokens.js';

describe.each(BACKENDS)('request logs on the %s backend', (backend) => {
  let spies: MockInstance[];
  const printed = () => spies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' ')));
  beforeEach(() => {
    spies = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
  });
  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
  });

  it('never carry a bearer token or a presigned signature', async () => {
    const h = await createHarness(backend);
    const secrets: string[] = Object.values(TOKENS);
    try {
      const dataset = csv(30, 11);
      await upload(h, dataset);
      const id = await freeze(h, dataset.sha256);
      await setAlias(h, 'logs', id);
      for (const path of [
        `/v1/splits/${id}/train`,
        '/v1/aliases/logs/splits/test',
        `/v1/artifacts/${dataset.sha256}`,
      ]) {
        const json = await call(h, 'GET', path, { headers: { accept: 'application/json' } });
        expect(json.status).toBe(200);
        const url = new URL(json.json.url);
        secrets.push(
          url.searchParams.get('sig') ?? url.searchParams.get('X-Amz-Signature') ?? 'no-signature-found',
        );
        expect((await h.fetchPresigned(json.json.url)).status).toBe(200);
        url.searchParams.set('expires', '1');
        await h.fetchPresigned(url.toString());
      }
      await call(h, 'GET', '/v1/aliases', { token: `${TOKENS.admin}-wrong` });
      await call(h, 'GET', `/v1/aliases?cursor=${TOKENS.reader}`, { token: TOKENS.reader });
      await call(h, 'POST', '/v1/splits', { token: TOKENS.reader, body: { token: TOKENS.writer } });
      secrets.push(`${TOKENS.admin}-wrong`);
      await h.dispatcher.idle();
      const lines = [...h.logs.map((line) => JSON.stringify(line)), ...printed()];
      expect(h.logs.filter((line) => line.route !== undefined).length).toBeGreaterThanOrEqual(8);
      const text = lines.join('\n');
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/X-Amz-Signature|[?&]sig=|Bearer /i);
    } finally {
      await h.close();
    }
  });
});
