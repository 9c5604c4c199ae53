/**
 * The API Lambda behind API Gateway (HTTP API, IAM auth). Freeze and verify go to the worker
 * function, so nothing here imports the engine, Arrow or the parsers.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { LambdaEvent } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';
import pkg from '../../package.json' with { type: 'json' };
import { createApp } from '../api/app.js';
import { iamAuthenticator } from '../api/auth/iam-authenticator.js';
import type { JobDispatcher } from '../api/deps.js';
import { type Config, loadConfig } from '../config.js';
import { createAwsBackend } from './aws-backend.js';
import { LambdaDispatcher } from './lambda-dispatcher.js';

type ApiHandler = ReturnType<typeof handle>;

export interface LambdaHandlerOptions {
  readonly config: Config;
  /** @default async invoke of SPLITVAULT_WORKER_FUNCTION */
  readonly jobs?: JobDispatcher;
}

/** The API handler over config; tests pass their own dispatcher to run the worker in-process. */
export async function createLambdaHandler(options: LambdaHandlerOptions): Promise<ApiHandler> {
  const { config } = options;
  const { blobs, lineage } = await createAwsBackend(config);
  let jobs = options.jobs;
  if (!jobs) {
    if (!config.workerFunction) throw new Error('SPLITVAULT_WORKER_FUNCTION is required for the API Lambda');
    // Lambda sets AWS_REGION and the role's credentials in the environment of every function.
    jobs = new LambdaDispatcher({
      functionName: config.workerFunction,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: fromEnv(),
      endpoint: process.env.AWS_ENDPOINT_URL_LAMBDA,
    });
  }
  const app = createApp({
    version: pkg.version,
    blobs,
    lineage,
    jobs,
    authenticator: iamAuthenticator(),
    presignSeconds: config.presignSeconds,
    // API Gateway HTTP APIs end an integration at 30 s; the function's own timeout is 29 s.
    maxWaitSeconds: 25,
  });
  return handle(app);
}

let built: Promise<ApiHandler> | undefined;

export const handler = async (event: LambdaEvent, context: Parameters<ApiHandler>[1]) => {
  // A failed cold start (e.g. the bucket check) is retried on the next event, not cached.
  built ??= createLambdaHandler({ config: loadConfig() }).catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return (await built)(event, context);
};
