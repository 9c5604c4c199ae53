import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { call } from '../reliability/support/call.js';
import { createHarness } from '../reliability/support/harness.js';
import { TOKENS } from '../reliability/support/tokens.js';

const SOURCE = new URL('../../functions/api/auth/token-authenticator.ts', import.meta.url);

describe('bearer token comparison', () => {
  it('compares fixed-length SHA-256 digests of both sides with timingSafeEqual', async () => {
    const source = await readFile(SOURCE, 'utf8');
    expect(source).toMatch(/import \{[^}]*\btimingSafeEqual\b[^}]*\} from 'node:crypto'/);
    expect(source).toMatch(/createHash\('sha256'\)/);
    // The raw header value must never meet a stored token in ===, startsWith or a Map lookup.
    expect(source).not.toMatch(/===\s*(match|token|given)\b|\.get\(match\[1\]|startsWith\(/);
    const compare = /timingSafeEqual\(([^)]*)\)/.exec(source)?.[1] ?? '';
    expect(compare.split(',').map((s) => s.trim())).toEqual(['entry.digest', 'given']);
  });

  it.each([
    ['a one-character token', 'x'],
    ['a token one character short of a real one', TOKENS.admin.slice(0, -1)],
    ['a real token with one more character', `${TOKENS.admin}0`],
    ['a 64 KiB token', 'y'.repeat(64 * 1024)],
    ['a real token in another case', TOKENS.admin.toUpperCase()],
    ['a token of Latin-1 bytes above 0x7f', 'cl\u00e9-secr\u00e8te-\u00ff\u00ff\u00ff'],
  ])('answers %s with 401, never a 500 from a length mismatch', async (_name, token) => {
    const h = await createHarness('embedded');
    try {
      const answer = await call(h, 'GET', '/v1/aliases', { token });
      expect({ status: answer.status, code: answer.json.code }).toEqual({
        status: 401,
        code: 'AUTH.REQUIRED',
      });
    } finally {
      await h.close();
    }
  });
});
