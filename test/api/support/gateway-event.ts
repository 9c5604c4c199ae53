import { randomUUID } from 'node:crypto';
import type { LambdaEvent } from 'hono/aws-lambda';

export const CALLER_ARN = 'arn:aws:iam::123456789012:user/alice';
/** The HTTP API every event comes from; the handler under test is configured with it. */
export const API_ID = 'abc123';

/** An API Gateway HTTP API (payload v2) event as IAM authorization delivers it. */
export function gatewayEvent(
  method: string,
  pathWithQuery: string,
  options: { body?: unknown; headers?: Record<string, string>; userArn?: string | null } = {},
): LambdaEvent {
  const [rawPath, rawQueryString = ''] = pathWithQuery.split('?');
  const now = new Date();
  const userArn = options.userArn === undefined ? CALLER_ARN : options.userArn;
  const authorizer =
    userArn === null ? undefined : { iam: { userArn, accountId: '123456789012', callerId: 'AIDAEXAMPLE' } };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: rawPath!,
    rawQueryString,
    cookies: [],
    headers: {
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: API_ID,
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath!, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  } as unknown as LambdaEvent;
}
