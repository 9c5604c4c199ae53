import { describe, expect, it } from 'vitest';
import { HmacUrlSigner } from '../../functions/adapters/local/signed-urls.js';
import { sha } from './records.js';

const secret = new Uint8Array(32).fill(7);
const signer = new HmacUrlSigner({ publicBaseUrl: 'http://127.0.0.1:8787/', secret });
const now = new Date('2026-01-01T00:00:00Z');
const expires = String(now.getTime() / 1000 + 300);
const getUrl = signer.sign('GET', 'artifact', sha('a'), { expires, filename: 'train.arrow' });
const putUrl = signer.sign('PUT', 'dataset', sha('d'), { bytes: '42', expires });

function edit(url: string, change: (u: URL) => void): URL {
  const parsed = new URL(url);
  change(parsed);
  return parsed;
}

function flipLastSigChar(u: URL): void {
  const sig = u.searchParams.get('sig')!;
  u.searchParams.set('sig', sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'));
}

describe('HMAC signed blob URLs', () => {
  it('grants a signed GET with its download name', () => {
    expect(signer.verify('GET', new URL(getUrl), now)).toEqual({
      method: 'GET',
      kind: 'artifact',
      sha256: sha('a'),
      filename: 'train.arrow',
    });
  });

  it('grants a signed PUT with its exact size', () => {
    expect(signer.verify('PUT', new URL(putUrl), now)).toEqual({
      method: 'PUT',
      kind: 'dataset',
      sha256: sha('d'),
      bytes: 42,
    });
  });

  it.each<[string, 'GET' | 'PUT', URL]>([
    [
      'another blob address',
      'GET',
      edit(getUrl, (u) => (u.pathname = u.pathname.replace(sha('a'), sha('b')))),
    ],
    ['another kind', 'GET', edit(getUrl, (u) => (u.pathname = u.pathname.replace('artifact', 'dataset')))],
    ['another download name', 'GET', edit(getUrl, (u) => u.searchParams.set('filename', 'evil.exe'))],
    [
      'a later expiry',
      'GET',
      edit(getUrl, (u) => u.searchParams.set('expires', String(Number(expires) + 1))),
    ],
    ['one signature character changed', 'GET', edit(getUrl, flipLastSigChar)],
    ['an added parameter', 'GET', edit(getUrl, (u) => u.searchParams.set('bytes', '1'))],
    ['no signature', 'GET', edit(getUrl, (u) => u.searchParams.delete('sig'))],
    ['a GET signature used for PUT', 'PUT', new URL(getUrl)],
    ['a PUT signature used for GET', 'GET', new URL(putUrl)],
    ['a larger upload size', 'PUT', edit(putUrl, (u) => u.searchParams.set('bytes', '43'))],
    [
      'another secret',
      'GET',
      new URL(
        new HmacUrlSigner({ publicBaseUrl: 'http://x', secret: new Uint8Array(32) }).sign(
          'GET',
          'artifact',
          sha('a'),
          { expires },
        ),
      ),
    ],
  ])('refuses a URL with %s as an invalid signature', (_label, method, url) => {
    expect(() => signer.verify(method, url, now)).toThrow(
      expect.objectContaining({ code: 'URL.INVALID_SIGNATURE', kind: 'forbidden' }),
    );
  });

  it('refuses an intact URL once it has expired', () => {
    const later = new Date(now.getTime() + 301_000);
    expect(() => signer.verify('GET', new URL(getUrl), later)).toThrow(
      expect.objectContaining({ code: 'URL.EXPIRED', name: 'ForbiddenError' }),
    );
  });

  it('accepts a URL served behind another host, since only the path and query are signed', () => {
    const moved = edit(getUrl, (u) => (u.host = 'splitvault.example:9999'));
    expect(signer.verify('GET', moved, now).sha256).toBe(sha('a'));
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new HmacUrlSigner({ publicBaseUrl: 'http://x', secret: new Uint8Array(16) })).toThrow(
      /32 bytes/,
    );
  });
});
