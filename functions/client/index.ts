/** The typed splitvault client: one function per route, responses parsed with the server's schemas. */
export { ApiError, ResponseShapeError } from './api-error.js';
export {
  type ClientOptions,
  createClient,
  type FreezeOutcome,
  type SplitvaultClient,
} from './create-client.js';
export { createSigV4Signer, type RequestSigner, type SigV4Options } from './sigv4.js';
export type { UploadTarget } from './upload.js';
export type { DatasetView, DownloadView, LineageView, SplitView, VerifyResult } from './views.js';
export type { WaitOptions } from './wait-job.js';
