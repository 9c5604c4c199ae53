import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Signs one outgoing request: returns the headers to send (the originals plus the signature). */
export type RequestSigner = (request: {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}) => Promise<Record<string, string>>;

export interface SigV4Options {
  readonly region: string;
  /** Static keys or a provider; the standard AWS credential chain when absent. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Fixed clock for known-vector tests. */
  readonly now?: () => Date;
}

/** SigV4 for API Gateway IAM auth (service "execute-api"). */
export function createSigV4Signer(options: SigV4Options): RequestSigner {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials ?? fromNodeProviderChain(),
    sha256: Sha256,
    // API Gateway expects each path segment encoded once, unlike S3.
    uriEscapePath: true,
    applyChecksum: true,
  });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
      const prior = query[key];
      query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
    const signed = await signer.sign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { ...headers, host: url.host },
        body,
      },
      options.now ? { signingDate: options.now() } : {},
    );
    return signed.headers;
  };
}
