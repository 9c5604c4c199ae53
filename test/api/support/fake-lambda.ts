import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256Node } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';

/** The credentials both sides share: the fake only accepts requests signed with these. */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIAFAKELAMBDA', secretAccessKey: 'fake-lambda-secret' };
export const FAKE_REGION = 'us-east-1';

export interface FakeInvocation {
  readonly functionName: string;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
}

export interface FakeLambda {
  readonly endpoint: string;
  readonly invocations: FakeInvocation[];
  /** Statuses to answer before the next 202s (e.g. [429, 503]), consumed one per request. */
  readonly failures: number[];
  close(): Promise<void>;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * A stand-in for Lambda's Invoke API on 127.0.0.1: it checks the SigV4 signature the way the
 * service does (recomputing it from the signed headers and the body) and hands each accepted
 * event to `onEvent`, answering 202 as an asynchronous invoke does.
 */
export async function startFakeLambda(onEvent: (payload: unknown) => void = () => {}): Promise<FakeLambda> {
  const invocations: FakeInvocation[] = [];
  const failures: number[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const match = PATH.exec(req.url ?? '');
    const failure = failures.shift();
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
    } else if (!(await signatureMatches(req, body))) {
      res
        .writeHead(403, { 'x-amzn-errortype': 'InvalidSignatureException' })
        .end('{"message":"bad signature"}');
    } else if (failure !== undefined) {
      res.writeHead(failure, { 'x-amzn-errortype': 'TooManyRequestsException' }).end('{"message":"later"}');
    } else {
      const payload = JSON.parse(body) as unknown;
      invocations.push({
        functionName: decodeURIComponent(match[1] ?? ''),
        invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
        payload,
      });
      onEvent(payload);
      res.writeHead(202).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    failures,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Recomputes a request's SigV4 signature with FAKE_CREDENTIALS, as the service would. */
export async function signatureMatches(
  req: IncomingMessage,
  body: string,
  service = 'lambda',
): Promise<boolean> {
  const authorization = req.headers.authorization ?? '';
  const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date || !authorization.includes(`/${FAKE_REGION}/${service}/aws4_request`)) return false;
  const headers = Object.fromEntries(signed.map((name) => [name, String(req.headers[name] ?? '')]));
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const expected = await new SignatureV4({
    service,
    region: FAKE_REGION,
    credentials: FAKE_CREDENTIALS,
    sha256: Sha256Node,
  }).sign(
    new HttpRequest({
      method: 'POST',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers,
      body,
    }),
    { signingDate: new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!)) },
  );
  return expected.headers.authorization === authorization;
}
