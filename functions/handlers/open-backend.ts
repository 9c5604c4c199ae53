import type { EmbeddedUploads } from '../api/deps.js';
import type { Config } from '../config.js';
import { createEmbeddedBackend } from './embedded-backend.js';

/**
 * The embedded stores by default; S3 and DynamoDB (jobs still run by this process) with
 * SPLITVAULT_BACKEND=aws. The server and each of its job threads open their own.
 */
/** Multipart uploads staged in their own unlocked bucket (s3-multipart-store.ts). */
export async function awsUploads(
  backend: Awaited<ReturnType<typeof import('./aws-backend.js').createAwsBackend>>,
  bucket: string,
): Promise<EmbeddedUploads> {
  const [{ S3MultipartStore }, { uploadRoutes }, { uploadPartRoutes }] = await Promise.all([
    import('../adapters/aws/s3-multipart-store.js'),
    import('../api/routes/uploads.js'),
    import('../api/routes/upload-parts.js'),
  ]);
  return {
    store: new S3MultipartStore({ client: backend.s3, bucket, blobs: backend.blobs }),
    routes: { uploads: uploadRoutes, parts: uploadPartRoutes },
  };
}

export async function openBackend(
  config: Config,
  publicBaseUrl: string,
  options: { readonly sweepTempFiles?: boolean } = {},
) {
  if (config.backend === 'aws') {
    // Imported only here: an embedded job thread then never loads the AWS SDK.
    const { createAwsBackend } = await import('./aws-backend.js');
    const backend = await createAwsBackend(config);
    return {
      ...backend,
      // Multipart uploads on the AWS backend are offered by this server only (the API Lambda
      // would have to copy the whole file within API Gateway's 29 s), so they load here.
      uploads: config.stagingBucket ? await awsUploads(backend, config.stagingBucket) : undefined,
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
