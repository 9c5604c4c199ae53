import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { ResolvedSplitVaultProps } from './splitvault-props.js';
import { BUNDLING, createFunction, functionEnvironment } from './vault-functions.js';
import { grantDataAccess } from './vault-permissions.js';
import type { VaultStorage } from './vault-storage.js';

/**
 * The console's style sheet and script, minified beside the bundle at build time; the function
 * serves them under hashed names (functions/ui/assets.ts).
 */
const CONSOLE_BUNDLING: nodejs.BundlingOptions = {
  ...BUNDLING,
  commandHooks: {
    ...BUNDLING.commandHooks!,
    afterBundling: (inputDir, outputDir) => [
      `"${inputDir}/node_modules/.bin/esbuild" "${inputDir}/functions/ui/assets/console.css" "${inputDir}/functions/ui/assets/console.js" --minify --log-level=warning --outdir="${outputDir}/assets"`,
    ],
  },
};

/**
 * The web console at /ui, from a function of its own so the API function's bundle and cold
 * start stay as they are. Its routes use the HTTP API's default authorizer (IAM), like every
 * API route: a browser reaches it through a local SigV4 signing proxy (docs/DEPLOY.md), and
 * each page reads the API in-process as that signed caller.
 */
export function createConsole(
  scope: Construct,
  storage: VaultStorage,
  httpApi: apigw.HttpApi,
  props: ResolvedSplitVaultProps,
): nodejs.NodejsFunction {
  const consoleFunction = createFunction(
    scope,
    'ConsoleFunction',
    {
      entry: 'console-lambda.ts',
      memorySize: 1024,
      timeout: Duration.seconds(29),
      environment: { ...functionEnvironment(storage, props), SPLITVAULT_API_ID: httpApi.apiId },
      bundling: CONSOLE_BUNDLING,
    },
    {},
    props,
  );
  // Reads, and the alias move of a rollback: the API function's own data access.
  grantDataAccess(consoleFunction, 'api', storage, props.encryptionKey);
  const integration = new HttpLambdaIntegration('ConsoleIntegration', consoleFunction);
  for (const path of ['/ui', '/ui/{proxy+}']) {
    httpApi.addRoutes({ path, methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST], integration });
  }
  return consoleFunction;
}
