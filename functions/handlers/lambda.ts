/**
 * The API Lambda behind API Gateway (HTTP API, IAM auth). Freeze and verify go to the worker
 * function, so nothing here imports the engine, Arrow or the parsers.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createAppWith } from '../api/app-base.js';
import { iamAuthenticator } from '../api/auth/iam-authenticator.js';
import type { LogSink } from '../api/context.js';
import type { AppDeps, JobDispatcher } from '../api/deps.js';
import { toProblem } from '../api/problem.js';
import { type Config, loadConfig } from '../config.js';
import { ForbiddenError } from '../core/errors.js';
import { SERVICE_VERSION } from '../version.js';
import { createAwsBackend } from './aws-backend.js';
import { FreezeRoutingDispatcher } from './freeze-routing-dispatcher.js';
import { LambdaDispatcher } from './lambda-dispatcher.js';
import { prebuiltOpenApi } from './prebuilt-openapi.js';
import { StepFunctionsDispatcher } from './step-functions-dispatcher.js';

/**
 * One bare JSON line per request on stdout. Lambda prefixes console.log output with a time,
 * request id and level, while CloudWatch's JSON filter patterns match log events that are JSON
 * objects: the construct's per-route error and alias-move metrics
 * (lib/vault-observability.ts) are counted from these lines, at no cost to the bundle.
 */
export const requestLogLine: LogSink = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** What API Gateway receives: Hono's answer, or the refusal of a foreign event. */
type ApiResult =
  | Awaited<ReturnType<ReturnType<typeof handle>>>
  | { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean };
type ApiHandler = (event: LambdaEvent, context?: LambdaContext) => Promise<ApiResult>;

export interface LambdaHandlerOptions {
  readonly config: Config;
  /**
   * @default async invoke of SPLITVAULT_WORKER_FUNCTION, and with SPLITVAULT_FREEZE_MACHINE, a
   * StartExecution of it for freezes of datasets past SPLITVAULT_SHARDED_FREEZE_BYTES
   */
  readonly jobs?: JobDispatcher;
  /** The /ui routes; only the console function (console-lambda.ts) passes them. @default none */
  readonly console?: AppDeps['console'];
}

/**
 * The API handler over config; tests pass their own dispatcher to run the worker in-process.
 * It answers only events from this deployment's HTTP API (SPLITVAULT_API_ID): the identity
 * comes from the event's requestContext, so an event from another API wired to this function
 * must not be trusted. A direct lambda:InvokeFunction caller can forge the whole event,
 * apiId included, which is why that permission is full admin (docs/DEPLOY.md).
 */
export async function createLambdaHandler(options: LambdaHandlerOptions): Promise<ApiHandler> {
  const { config } = options;
  const apiId = config.apiId;
  if (!apiId) throw new Error('SPLITVAULT_API_ID is required for the API Lambda');
  const { blobs, lineage, catalog, leakage } = await createAwsBackend(config);
  let jobs = options.jobs;
  if (!jobs) {
    if (!config.workerFunction) throw new Error('SPLITVAULT_WORKER_FUNCTION is required for the API Lambda');
    // Lambda sets AWS_REGION and the role's credentials in the environment of every function.
    const region = process.env.AWS_REGION ?? 'us-east-1';
    jobs = new LambdaDispatcher({
      functionName: config.workerFunction,
      region,
      credentials: fromEnv(),
      endpoint: process.env.AWS_ENDPOINT_URL_LAMBDA,
    });
    if (config.freezeMachine) {
      if (config.shardedFreezeBytes === undefined) {
        throw new Error('SPLITVAULT_SHARDED_FREEZE_BYTES is required with SPLITVAULT_FREEZE_MACHINE');
      }
      const machine = new StepFunctionsDispatcher({
        stateMachineArn: config.freezeMachine,
        region,
        credentials: fromEnv(),
        endpoint: process.env.AWS_ENDPOINT_URL_SFN,
      });
      jobs = new FreezeRoutingDispatcher({
        worker: jobs,
        machine,
        shardedFreezeBytes: config.shardedFreezeBytes,
      });
    }
  }
  const app = createAppWith(
    {
      version: SERVICE_VERSION,
      blobs,
      lineage,
      catalog,
      leakage,
      jobs,
      authenticator: iamAuthenticator(),
      log: requestLogLine,
      presignSeconds: config.presignSeconds,
      // API Gateway HTTP APIs end an integration at 30 s; the function's own timeout is 29 s.
      maxWaitSeconds: 25,
      ...(options.console ? { console: options.console } : {}),
    },
    prebuiltOpenApi(import.meta.url),
  );
  const serve = handle(app);
  return async (event, context) => {
    const from = (event as { requestContext?: { apiId?: unknown } }).requestContext?.apiId;
    if (from === apiId) return serve(event, context);
    const problem = toProblem(
      new ForbiddenError(
        'AUTH.FOREIGN_API',
        `events from API ${String(JSON.stringify(from)).slice(0, 64)} are not accepted`,
      ),
    );
    return {
      statusCode: problem.status,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify(problem),
      isBase64Encoded: false,
    };
  };
}

let built: Promise<ApiHandler> | undefined;

export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  // A failed cold start (e.g. the bucket check) is retried on the next event, not cached.
  built ??= createLambdaHandler({ config: loadConfig() }).catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return (await built)(event, context);
};
