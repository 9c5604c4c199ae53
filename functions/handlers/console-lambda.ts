/**
 * The console function behind API Gateway's /ui routes (lib/vault-console.ts): the API app
 * with the console mounted, so its pages read through the same routes as the caller. It is a
 * function of its own so the API function's bundle, and so its cold start, carries none of it.
 */
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import type { JobDispatcher } from '../api/deps.js';
import { loadConfig } from '../config.js';
import { ForbiddenError } from '../core/errors.js';
import { consoleRoutes } from '../ui/console.js';
import { createLambdaHandler } from './lambda.js';

/** The console starts no jobs; a page that tried would be a bug, refused rather than queued. */
const noJobs: JobDispatcher = {
  dispatch: async () => {
    throw new ForbiddenError('UI.NO_JOBS', 'the console function does not start jobs');
  },
};

let built: ReturnType<typeof createLambdaHandler> | undefined;

export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  built ??= createLambdaHandler({ config: loadConfig(), jobs: noJobs, console: consoleRoutes() }).catch(
    (err: unknown) => {
      built = undefined;
      throw err;
    },
  );
  return (await built)(event, context);
};
