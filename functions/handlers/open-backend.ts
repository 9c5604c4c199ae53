import type { Config } from '../config.js';
import { createEmbeddedBackend } from './embedded-backend.js';

/**
 * The embedded stores by default; S3 and DynamoDB (jobs still run by this process) with
 * SPLITVAULT_BACKEND=aws. The server and each of its job threads open their own.
 */
export async function openBackend(
  config: Config,
  publicBaseUrl: string,
  options: { readonly sweepTempFiles?: boolean } = {},
) {
  if (config.backend === 'aws') {
    // Imported only here: an embedded job thread then never loads the AWS SDK.
    const { createAwsBackend } = await import('./aws-backend.js');
    return {
      ...(await createAwsBackend(config)),
      signedUrls: undefined,
      damage: undefined,
      close: () => {},
    };
  }
  return createEmbeddedBackend({
    dataDir: config.dataDir,
    publicBaseUrl,
    retentionDays: config.retentionDays,
    ...options,
  });
}
