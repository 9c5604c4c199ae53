import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ResolvedSplitVaultProps } from './splitvault-props.js';

export interface VaultApi {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** The one route without IAM. */
  readonly healthRoute: apigw.HttpRoute;
}

/** One JSON object per request; the caller's ARN answers "who did this" next to the audit log. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.userArn',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
};

/**
 * The HTTP API in front of the API function. Every request needs a SigV4 signature from a
 * principal allowed execute-api:Invoke on it, except the health check, which load balancers
 * and uptime probes call without credentials. The OpenAPI document stays behind IAM too: a
 * client that can't sign can't use the API it describes.
 */
export function createApi(
  scope: Construct,
  handler: lambda.IFunction,
  props: ResolvedSplitVaultProps,
): VaultApi {
  const integration = new HttpLambdaIntegration('ApiIntegration', handler);
  const httpApi = new apigw.HttpApi(scope, 'HttpApi', {
    description: 'splitvault: frozen, content-addressed dataset splits',
    createDefaultStage: false,
    defaultAuthorizer: new HttpIamAuthorizer(),
  });
  const [healthRoute] = httpApi.addRoutes({
    path: '/v1/health',
    methods: [apigw.HttpMethod.GET],
    integration,
    authorizer: new apigw.HttpNoneAuthorizer(),
  });
  httpApi.addRoutes({ path: '/{proxy+}', methods: [apigw.HttpMethod.ANY], integration });
  const accessLogs = new logs.LogGroup(scope, 'ApiAccessLogs', { retention: props.logRetention });
  const stage = httpApi.addStage('DefaultStage', {
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
    accessLogSettings: {
      destination: new apigw.LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    },
  });
  return { httpApi, stage, accessLogs, healthRoute: healthRoute! };
}
