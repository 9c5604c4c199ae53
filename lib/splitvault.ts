import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { resolveProps, type SplitVaultProps } from './splitvault-props.js';
import { acknowledgeFindings } from './vault-acknowledgements.js';
import { createAlarms, type VaultAlarms } from './vault-alarms.js';
import { createApi } from './vault-api.js';
import { createConsole } from './vault-console.js';
import { createDashboard } from './vault-dashboard.js';
import { createFreezeMachine, shardedFreezeBytes } from './vault-freeze-machine.js';
import { createFunctions } from './vault-functions.js';
import { createApiMetricFilters, metricsNamespace, WORKER_SERVICE } from './vault-observability.js';
import { createStorage } from './vault-storage.js';
import { createTamperWatch } from './vault-tamper-watch.js';

export type { SplitVaultProps } from './splitvault-props.js';

/** An API route as IAM sees it: method and request path, where `*` matches any characters. */
export interface RoutePattern {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
}

/** The routes each role may call. Readers see everything; only deployers move aliases. */
export const ROLE_ROUTES = {
  read: [{ method: 'GET', path: '/v1/*' }],
  write: [
    { method: 'POST', path: '/v1/datasets' },
    { method: 'POST', path: '/v1/splits' },
    { method: 'POST', path: '/v1/splits/*/verify' },
  ],
  deploy: [
    { method: 'PUT', path: '/v1/aliases/*' },
    { method: 'POST', path: '/v1/aliases/*/rollback' },
  ],
} as const satisfies Record<string, readonly RoutePattern[]>;

/**
 * What each role adds when the console is on: its pages read, its rollback form deploys. The
 * console reads the API in-process, so these gateway routes are where IAM scopes its callers.
 */
export const CONSOLE_ROLE_ROUTES = {
  read: [
    { method: 'GET', path: '/ui' },
    { method: 'GET', path: '/ui/*' },
  ],
  write: [],
  deploy: [{ method: 'POST', path: '/ui/aliases/*/rollback' }],
} as const satisfies Record<keyof typeof ROLE_ROUTES, readonly RoutePattern[]>;

/**
 * A complete splitvault deployment: the Object Lock bucket for datasets and splits, the
 * lineage table, the API and worker functions, an IAM-authorized HTTP API and its alarms.
 * Callers get access through grantRead, grantWrite and grantDeploy.
 *
 * Child construct ids are part of the contract: the bucket, table and log groups are retained,
 * so renaming one would create a new resource and orphan the old one with its data.
 */
export class SplitVault extends Construct {
  /** Datasets, split files and manifests, each locked for the retention period once written. */
  readonly bucket: s3.Bucket;
  /** Receives the data bucket's server access logs. */
  readonly accessLogBucket: s3.Bucket;
  /** Lineage, aliases, jobs and the audit log. */
  readonly table: dynamodb.TableV2;
  readonly apiFunction: nodejs.NodejsFunction;
  readonly workerFunction: nodejs.NodejsFunction;
  /** Invoked by the table's stream only when an append-only item is replaced or removed. */
  readonly tamperWatch: lambda.Function;
  /** Worker jobs that failed every attempt land here, with the original event. */
  readonly failureQueue: sqs.Queue;
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly alarms: VaultAlarms;
  /** Freezes, verifications, alias moves, errors by route, jobs, Lambda and DynamoDB health. */
  readonly dashboard: cloudwatch.Dashboard;
  /** CloudWatch namespace of the service's own metrics (one per deployment). */
  readonly metricsNamespace: string;
  /** Base URL of the API, ending in a slash. */
  readonly apiUrl: string;
  /** The function serving /ui, when the console prop is on. */
  readonly consoleFunction?: nodejs.NodejsFunction;
  /** Freezes datasets too big for one worker: plan, Distributed Maps over the shards, combine, record. */
  readonly freezeMachine: sfn.StateMachine;
  /** Intermediate state of the freeze machine's runs; no Object Lock, expires by lifecycle. */
  readonly workBucket: s3.Bucket;
  readonly freezeCoordinatorFunction: nodejs.NodejsFunction;
  readonly freezeShardFunction: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: SplitVaultProps = {}) {
    const resolved = resolveProps(props);
    super(scope, id);
    const storage = createStorage(this, resolved);
    this.metricsNamespace = metricsNamespace(this);
    const functions = createFunctions(this, storage, resolved, {
      namespace: this.metricsNamespace,
      workerService: WORKER_SERVICE,
    });
    const freeze = createFreezeMachine(this, storage, resolved);
    // The API starts a freeze of a dataset past the worker's one-process limit on the machine
    // (functions/handlers/freeze-routing-dispatcher.ts), and may do nothing else with it.
    functions.apiFunction.addEnvironment('SPLITVAULT_FREEZE_MACHINE', freeze.stateMachine.stateMachineArn);
    functions.apiFunction.addEnvironment(
      'SPLITVAULT_SHARDED_FREEZE_BYTES',
      String(shardedFreezeBytes(resolved.workerMemorySize)),
    );
    freeze.stateMachine.grantStartExecution(functions.apiFunction);
    this.freezeMachine = freeze.stateMachine;
    this.workBucket = freeze.workBucket;
    this.freezeCoordinatorFunction = freeze.coordinatorFunction;
    this.freezeShardFunction = freeze.shardFunction;
    const api = createApi(this, functions.apiFunction, resolved);
    // The function refuses events from any other API. The reference makes the function depend
    // on the HttpApi resource only; routes and integrations depend on both, so no cycle.
    functions.apiFunction.addEnvironment('SPLITVAULT_API_ID', api.httpApi.apiId);
    if (resolved.console) this.consoleFunction = createConsole(this, storage, api.httpApi, resolved);
    this.tamperWatch = createTamperWatch(this, storage, resolved);
    this.bucket = storage.bucket;
    this.accessLogBucket = storage.accessLogBucket;
    this.table = storage.table;
    this.apiFunction = functions.apiFunction;
    this.workerFunction = functions.workerFunction;
    this.failureQueue = functions.failureQueue;
    this.httpApi = api.httpApi;
    this.stage = api.stage;
    this.apiUrl = api.stage.url;
    this.alarms = createAlarms(this, {
      worker: functions.workerFunction,
      failureQueue: functions.failureQueue,
      httpApi: api.httpApi,
      tamperWatch: this.tamperWatch,
      freezeMachine: freeze.stateMachine,
      freezeEndingsQueue: freeze.endings.failureQueue,
      topic: resolved.alarmTopic,
      namespace: this.metricsNamespace,
    });
    const metricSources = {
      namespace: this.metricsNamespace,
      apiFunction: functions.apiFunction,
      workerFunction: functions.workerFunction,
      failureQueue: functions.failureQueue,
      httpApi: api.httpApi,
      table: storage.table,
    };
    createApiMetricFilters(this, metricSources);
    this.dashboard = createDashboard(this, metricSources);
    acknowledgeFindings({
      storage,
      freeze,
      functions: [
        functions.apiFunction,
        functions.workerFunction,
        freeze.coordinatorFunction,
        freeze.shardFunction,
        this.tamperWatch,
        ...(this.consoleFunction ? [this.consoleFunction] : []),
      ],
      failureQueue: functions.failureQueue,
      healthRoute: api.healthRoute,
      traced: resolved.tracing
        ? [
            functions.apiFunction,
            functions.workerFunction,
            freeze.coordinatorFunction,
            freeze.shardFunction,
            ...(this.consoleFunction ? [this.consoleFunction] : []),
          ]
        : [],
    });
  }

  /** Lets the grantee call every GET route: datasets, splits, manifests, aliases, lineage, audit. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, 'read');
  }

  /** Lets the grantee upload datasets, freeze splits and start verifications. */
  grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, 'write');
  }

  /** Lets the grantee move aliases and roll them back: the release step. */
  grantDeploy(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, 'deploy');
  }

  /** The execute-api ARNs a role's routes map to on this API's stage. */
  routeArns(routes: readonly RoutePattern[]): string[] {
    return routes.map((route) =>
      this.httpApi.arnForExecuteApi(route.method, route.path, this.stage.stageName),
    );
  }

  private grantRoutes(grantee: iam.IGrantable, role: keyof typeof ROLE_ROUTES): iam.Grant {
    const routes = [...ROLE_ROUTES[role], ...(this.consoleFunction ? CONSOLE_ROLE_ROUTES[role] : [])];
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: this.routeArns(routes),
    });
  }
}
