import { UsageError } from './cli-error.js';

/** Where the CLI talks to and how it proves who it is. */
export interface CliConfig {
  readonly url: string;
  readonly token?: string;
  /** Sign with SigV4 from the AWS credential chain instead of sending a bearer token. */
  readonly aws: boolean;
  readonly region?: string;
}

export interface ConfigFlags {
  readonly url?: string;
  readonly token?: string;
  readonly aws?: boolean;
  readonly region?: string;
}

export const DEFAULT_URL = 'http://localhost:3000';

const API_GATEWAY_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;

/** The region of an API Gateway endpoint, or undefined when the host is not one. */
export function apiGatewayRegion(url: URL): string | undefined {
  return API_GATEWAY_HOST.exec(url.hostname)?.[1];
}

/** Flags win over the environment; API Gateway hosts switch SigV4 on by themselves. */
export function resolveConfig(
  flags: ConfigFlags,
  env: Readonly<Record<string, string | undefined>>,
): CliConfig {
  const raw = flags.url ?? env.SPLITVAULT_URL ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('CLI.BAD_URL', `invalid service URL "${raw}"`, 'use --url or SPLITVAULT_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('CLI.BAD_URL', `service URL "${raw}" must use http or https`);
  }
  const token = flags.token ?? env.SPLITVAULT_TOKEN;
  const region = flags.region ?? apiGatewayRegion(url) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    url: url.toString().replace(/\/+$/, ''),
    aws: flags.aws === true || apiGatewayRegion(url) !== undefined,
    ...(token ? { token } : {}),
    ...(region ? { region } : {}),
  };
}
