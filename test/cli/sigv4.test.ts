import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSigV4Signer } from '../../functions/client/sigv4.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const now = () => new Date('2015-08-30T12:36:00Z');
const hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** SigV4 written out from the published algorithm, independent of the signer under test. */
function expectedSignature(
  method: string,
  url: URL,
  headers: Record<string, string>,
  signedHeaders: string[],
  body: string,
) {
  const query = [...url.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const canonical = [
    method,
    url.pathname,
    query,
    ...signedHeaders.map((name) => `${name}:${headers[name]?.trim()}`),
    '',
    signedHeaders.join(';'),
    hex(body),
  ].join('\n');
  const scope = `20150830/us-east-1/execute-api/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', '20150830T123600Z', scope, hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, '20150830');
  for (const part of ['us-east-1', 'execute-api', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('createSigV4Signer', () => {
  it.each([
    ['GET', 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/health', undefined],
    [
      'GET',
      'https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/audit?limit=5&action=alias.set',
      undefined,
    ],
    ['PUT', 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/v1/aliases/prod', '{"reason":"r"}'],
  ])(
    'signs %s %s for execute-api with a signature matching the published algorithm',
    async (method, href, body) => {
      const sign = createSigV4Signer({ region: 'us-east-1', credentials, now });
      const url = new URL(href);
      const headers = await sign({
        method,
        url,
        headers: { accept: 'application/json' },
        ...(body ? { body } : {}),
      });
      const auth = headers.authorization ?? '';
      expect(auth).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/execute-api\/aws4_request, /,
      );
      expect(headers['x-amz-date']).toBe('20150830T123600Z');
      const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
      expect(signed).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
      const signature = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
      expect(signature).toBe(expectedSignature(method, url, headers, signed, body ?? ''));
    },
  );

  it('carries the session token of temporary credentials', async () => {
    const sign = createSigV4Signer({
      region: 'eu-west-1',
      credentials: { ...credentials, sessionToken: 'tok' },
      now,
    });
    const headers = await sign({
      method: 'GET',
      url: new URL('https://a.execute-api.eu-west-1.amazonaws.com/x'),
      headers: {},
    });
    expect(headers['x-amz-security-token']).toBe('tok');
  });
});
