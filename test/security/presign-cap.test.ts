import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import { MAX_PRESIGN_SECONDS } from '../../schemas/config.js';
import { call } from '../reliability/support/call.js';
import { BACKENDS, createHarness, type Harness } from '../reliability/support/harness.js';
import { csv, freeze, upload } from '../reliability/support/seed.js';

/** Seconds from now until the URL stops working, read from the URL itself. */
function lifetimeOf(url: string, now: number): number {
  const u = new URL(url);
  const expires = u.searchParams.get('expires');
  if (expires) return Number(expires) - Math.floor(now / 1000);
  const amzDate = u.searchParams.get('X-Amz-Date') ?? '';
  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  return Math.round((signedAt - now) / 1000) + Number(u.searchParams.get('X-Amz-Expires'));
}

it('refuses a configured presign lifetime above the cap', () => {
  expect(() => loadConfig({ SPLITVAULT_PRESIGN_SECONDS: String(MAX_PRESIGN_SECONDS + 1) })).toThrow(
    ConfigError,
  );
  expect(loadConfig({ SPLITVAULT_PRESIGN_SECONDS: String(MAX_PRESIGN_SECONDS) }).presignSeconds).toBe(
    MAX_PRESIGN_SECONDS,
  );
});

describe.each(BACKENDS)('presigned URL lifetimes on the %s backend', (backend) => {
  let h: Harness;
  let manifest: string;
  beforeAll(async () => {
    h = await createHarness(backend);
    const dataset = csv(20, 5);
    await upload(h, dataset);
    manifest = await freeze(h, dataset.sha256);
  });
  afterAll(async () => h?.close());

  it.each([1, 900, MAX_PRESIGN_SECONDS])(
    'hands out a URL that lives %i seconds when asked',
    async (seconds) => {
      const now = Date.now();
      const answer = await call(h, 'GET', `/v1/splits/${manifest}/train?expiresIn=${seconds}`, {
        headers: { accept: 'application/json' },
      });
      expect(answer.status).toBe(200);
      expect(Math.abs(lifetimeOf(answer.json.url, now) - seconds)).toBeLessThanOrEqual(2);
    },
  );

  it.each([MAX_PRESIGN_SECONDS + 1, 7 * 86_400, 0, -5])(
    'refuses a lifetime of %i seconds',
    async (seconds) => {
      const answer = await call(h, 'GET', `/v1/splits/${manifest}/train?expiresIn=${seconds}`, {
        headers: { accept: 'application/json' },
      });
      expect({ status: answer.status, code: answer.json.code }).toEqual({
        status: 400,
        code: 'REQUEST.INVALID',
      });
    },
  );
});
