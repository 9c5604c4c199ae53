import { createClient, type SplitvaultClient } from '../client/index.js';
import { UsageError } from './cli-error.js';
import type { CliConfig } from './config.js';

/** SigV4 when the config asks for AWS, a bearer token otherwise (or no auth for a local server). */
export function clientFromConfig(config: CliConfig): SplitvaultClient {
  if (!config.aws) return createClient({ url: config.url, ...(config.token ? { token: config.token } : {}) });
  if (!config.region) {
    throw new UsageError('CLI.NO_REGION', `no AWS region for ${config.url}`, 'use --region or AWS_REGION');
  }
  return createClient({ url: config.url, aws: true, region: config.region });
}
