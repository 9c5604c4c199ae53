import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256Node } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { API_ID } from '../api/support/gateway-event.js';

/** What the Lambda handler answers an HTTP API (payload 2.0) event with. */
interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}
type Handler = (event: LambdaEvent, context: LambdaContext) => Promise<unknown>;

export interface GatewayFront {
  readonly url: string;
  close(): Promise<void>;
}

export const CALLER_ARN = 'arn:aws:iam::123456789012:user/smoke';

/**
 * What API Gateway (HTTP API, IAM authorization) does in front of the API Lambda, on
 * 127.0.0.1: it refuses a request without a valid SigV4 signature with 403, as the service
 * does, and turns a signed one into a payload 2.0 event carrying the caller's ARN.
 */
export async function startGatewayFront(
  handler: Handler,
  signing: { region: string; credentials: AwsCredentialIdentity },
): Promise<GatewayFront> {
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (!(await signedBy(req, body, signing))) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
      return;
    }
    const result = (await handler(toEvent(req, body), {
      awsRequestId: randomUUID(),
    } as LambdaContext)) as ProxyResult;
    const payload = result.body
      ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
      : undefined;
    res.writeHead(result.statusCode, result.headers).end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function toEvent(req: IncomingMessage, body: Buffer): LambdaEvent {
  const url = new URL(req.url ?? '/', 'http://front');
  const now = new Date();
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: API_ID,
      domainName: headers.host,
      domainPrefix: 'abc123',
      http: {
        method: req.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { iam: { userArn: CALLER_ARN, accountId: '123456789012', callerId: 'AIDASMOKE' } },
    },
    ...(body.length > 0
      ? { body: body.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  } as unknown as LambdaEvent;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Recomputes the signature from the signed headers, as the service does, and compares. */
async function signedBy(
  req: IncomingMessage,
  body: Buffer,
  signing: { region: string; credentials: AwsCredentialIdentity },
): Promise<boolean> {
  const authorization = req.headers.authorization ?? '';
  const names = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(req.headers['x-amz-date'] ?? ''));
  if (!names || !date) return false;
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const prior = query[key];
    query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  const signer = new SignatureV4({
    service: 'execute-api',
    region: signing.region,
    credentials: signing.credentials,
    sha256: Sha256Node,
    uriEscapePath: true,
    applyChecksum: true,
  });
  const expected = await signer.sign(
    new HttpRequest({
      method: req.method,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: Object.fromEntries(names.map((name) => [name, String(req.headers[name] ?? '')])),
      body: body.length > 0 ? body.toString('utf8') : undefined,
    }),
    { signingDate: new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!)) },
  );
  return expected.headers.authorization === authorization;
}
