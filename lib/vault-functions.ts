import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ResolvedSplitVaultProps } from './splitvault-props.js';
import { grantDataAccess } from './vault-permissions.js';
import type { VaultStorage } from './vault-storage.js';

/** The repository root: entries, the lock file and tsconfig are found from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * ESM bundles still carry CommonJS dependencies that call require() or read files next to
 * themselves through __dirname (parquet-wasm loads its .wasm that way), so each bundle
 * defines both from its own URL. __dirname is renamed through `define` so a bundled ES
 * module that declares its own __dirname can't collide with the banner's.
 */
const ESM_BANNER = [
  "import { createRequire as __splitvaultCreateRequire } from 'node:module';",
  "import { dirname as __splitvaultDirnameOf } from 'node:path';",
  "import { fileURLToPath as __splitvaultFileURLToPath } from 'node:url';",
  'const require = __splitvaultCreateRequire(import.meta.url);',
  'const __splitvaultFilename = __splitvaultFileURLToPath(import.meta.url);',
  'const __splitvaultDirname = __splitvaultDirnameOf(__splitvaultFilename);',
].join(' ');

/**
 * Module swaps that keep the bundles small, relative to the project root where esbuild runs:
 * the SDK clients' default credential chain becomes its first link, the environment, where
 * Lambda puts the role's credentials (functions/handlers/lambda-credentials.ts); and the S3 and
 * DynamoDB clients become the copies scripts/sdk-literal-keys.mjs makes before bundling, whose
 * unused schemas esbuild can drop.
 */
const BUNDLE_ALIASES = [
  '@aws-sdk/credential-provider-node=./functions/handlers/lambda-credentials.ts',
  '@aws-sdk/client-s3=./node_modules/.cache/splitvault-sdk/client-s3',
  '@aws-sdk/client-dynamodb=./node_modules/.cache/splitvault-sdk/client-dynamodb',
];

const prepareSdkCopies = (inputDir: string) => [`node "${inputDir}/scripts/sdk-literal-keys.mjs"`];

/**
 * Local esbuild only (no Docker), pinned AWS SDK inside the bundle so the code runs against
 * the versions it was tested with, and a metafile so tests can see what went in.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  metafile: true,
  bundleAwsSDK: true,
  forceDockerBundling: false,
  banner: ESM_BANNER,
  define: { __dirname: '__splitvaultDirname', __filename: '__splitvaultFilename' },
  esbuildArgs: { '--alias': BUNDLE_ALIASES },
  commandHooks: {
    beforeBundling: prepareSdkCopies,
    beforeInstall: () => [],
    afterBundling: () => [],
  },
};

/** parquet-wasm's Node build reads this file from the bundle's directory at first use. */
export const PARQUET_WASM = 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm';

/** The API function serves its OpenAPI document from this file beside its bundle. */
const API_BUNDLING: nodejs.BundlingOptions = {
  ...BUNDLING,
  commandHooks: {
    beforeBundling: prepareSdkCopies,
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      `"${inputDir}/node_modules/.bin/tsx" "${inputDir}/scripts/write-openapi.ts" "${outputDir}/openapi.json"`,
    ],
  },
};

/** The bundling of every function that runs the engine: parquet-wasm's .wasm goes beside the bundle. */
export const WORKER_BUNDLING: nodejs.BundlingOptions = {
  ...BUNDLING,
  commandHooks: {
    beforeBundling: prepareSdkCopies,
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [`cp "${inputDir}/${PARQUET_WASM}" "${outputDir}/"`],
  },
};

export interface VaultFunctions {
  readonly apiFunction: nodejs.NodejsFunction;
  readonly workerFunction: nodejs.NodejsFunction;
  readonly failureQueue: sqs.Queue;
}

export interface FunctionSpec {
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly bundling: nodejs.BundlingOptions;
}

/** Where the functions send their signals. */
export interface FunctionObservability {
  /** CloudWatch namespace of the worker's embedded metrics. */
  readonly namespace: string;
  /** POWERTOOLS_SERVICE_NAME of the worker, the dimension of its metrics. */
  readonly workerService: string;
}

export function createFunction(
  scope: Construct,
  id: string,
  spec: FunctionSpec,
  extra: Partial<nodejs.NodejsFunctionProps>,
  props: ResolvedSplitVaultProps,
): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
  // An own role instead of the managed basic-execution policy: it may write to its log group only.
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);
  return new nodejs.NodejsFunction(scope, id, {
    entry: `${PROJECT_ROOT}functions/handlers/${spec.entry}`,
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: spec.memorySize,
    timeout: spec.timeout,
    role,
    logGroup,
    bundling: spec.bundling,
    environment: { ...spec.environment, NODE_OPTIONS: '--enable-source-maps' },
    tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    ...extra,
  });
}

/** The settings every function that opens the stores reads (functions/config.ts). */
export function functionEnvironment(
  storage: VaultStorage,
  props: ResolvedSplitVaultProps,
): Record<string, string> {
  return {
    SPLITVAULT_BACKEND: 'aws',
    SPLITVAULT_BUCKET: storage.bucket.bucketName,
    SPLITVAULT_TABLE: storage.table.tableName,
    SPLITVAULT_RETENTION_MODE: props.retentionMode,
    SPLITVAULT_RETENTION_DAYS: String(props.retentionDays),
    SPLITVAULT_PRESIGN_SECONDS: String(props.presignExpiry.toSeconds()),
    ...(props.gitCommit === undefined ? {} : { SPLITVAULT_GIT_COMMIT: props.gitCommit }),
  };
}

/** Creates the API function, the job worker it invokes, and the queue that keeps failed jobs. */
export function createFunctions(
  scope: Construct,
  storage: VaultStorage,
  props: ResolvedSplitVaultProps,
  observability: FunctionObservability,
): VaultFunctions {
  const environment = functionEnvironment(storage, props);
  const failureQueue = new sqs.Queue(scope, 'WorkerFailureQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const workerFunction = createFunction(
    scope,
    'WorkerFunction',
    {
      entry: 'worker.ts',
      memorySize: props.workerMemorySize,
      timeout: Duration.minutes(15),
      environment: {
        ...environment,
        // Read by Powertools in the worker (functions/handlers/worker.ts).
        POWERTOOLS_METRICS_NAMESPACE: observability.namespace,
        POWERTOOLS_SERVICE_NAME: observability.workerService,
        POWERTOOLS_TRACE_ENABLED: String(props.tracing),
        // Runs of one job = deliveries that may still follow a dead run (see workerRetryAttempts).
        SPLITVAULT_JOB_MAX_ATTEMPTS: String(props.workerRetryAttempts),
      },
      bundling: WORKER_BUNDLING,
    },
    {
      ephemeralStorageSize: props.workerEphemeralStorageSize,
      onFailure: new SqsDestination(failureQueue),
      retryAttempts: props.workerRetryAttempts,
      maxEventAge: Duration.hours(6),
      // Bounds parallel freezes (each holds a dataset in memory) and keeps a burst of jobs
      // from taking the account's whole concurrency pool, which the API shares.
      reservedConcurrentExecutions: props.workerReservedConcurrency,
    },
    props,
  );
  const apiFunction = createFunction(
    scope,
    'ApiFunction',
    {
      entry: 'lambda.ts',
      memorySize: 1024,
      // HTTP APIs give up on an integration after 30 seconds.
      timeout: Duration.seconds(29),
      environment: { ...environment, SPLITVAULT_WORKER_FUNCTION: workerFunction.functionName },
      bundling: API_BUNDLING,
    },
    {},
    props,
  );
  grantDataAccess(apiFunction, 'api', storage, props.encryptionKey);
  grantDataAccess(workerFunction, 'worker', storage, props.encryptionKey);
  // Explicit rather than grantInvoke, which also allows every version and alias (`arn:*`).
  apiFunction.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [workerFunction.functionArn] }),
  );
  return { apiFunction, workerFunction, failureQueue };
}
