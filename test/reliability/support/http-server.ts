/**
 * The service over real HTTP on 127.0.0.1: the embedded server exactly as `npm start` runs it
 * (with a tokens file), or the same app on the AWS stores (versitygw + moto).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../../functions/api/app.js';
import { tokenAuthenticator } from '../../../functions/api/auth/token-authenticator.js';
import { loadConfig } from '../../../functions/config.js';
import { createAwsBackend } from '../../../functions/handlers/aws-backend.js';
import { InProcessDispatcher } from '../../../functions/handlers/in-process-dispatcher.js';
import { startServer } from '../../../functions/handlers/node.js';
import { serviceEnvironment } from '../../../functions/handlers/service-environment.js';
import { freshAwsConfig } from '../../conformance/emulator-env.js';
import type { Backend } from './harness.js';
import { GRANTS } from './tokens.js';

export interface HttpService {
  readonly url: string;
  /** Where the tokens file is (embedded), for tools that read one. */
  readonly tokensFile: string;
  close(): Promise<void>;
}

export async function startHttpService(backend: Backend): Promise<HttpService> {
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-http-'));
  const tokensFile = join(dir, 'tokens.json');
  await writeFile(tokensFile, JSON.stringify(GRANTS), { mode: 0o600 });
  const cleanup = () => rm(dir, { recursive: true, force: true });
  if (backend === 'embedded') {
    const running = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        SPLITVAULT_DATA_DIR: join(dir, 'data'),
        SPLITVAULT_TOKENS_FILE: tokensFile,
      }),
    );
    return { url: running.url, tokensFile, close: async () => running.close().finally(cleanup) };
  }
  const stores = await createAwsBackend(await freshAwsConfig('http'));
  const dispatcher = new InProcessDispatcher({ ...stores, service: serviceEnvironment('reliability') });
  const app = createApp({
    version: '0.0.0-reliability',
    ...stores,
    jobs: dispatcher,
    authenticator: tokenAuthenticator(GRANTS),
    presignSeconds: 900,
    log: (line) => console.log(JSON.stringify(line)),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokensFile,
    async close() {
      await dispatcher.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cleanup();
    },
  };
}
