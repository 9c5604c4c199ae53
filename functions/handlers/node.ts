/**
 * `npm start`: the API on Node's HTTP with jobs in-process; the embedded backend (file system
 * + SQLite) by default, S3 + DynamoDB with SPLITVAULT_BACKEND=aws.
 * Without a tokens file it acts as one local user, so it refuses to listen beyond 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import pkg from '../../package.json' with { type: 'json' };
import { createApp } from '../api/app.js';
import { localUserAuthenticator } from '../api/auth/fixed-authenticator.js';
import { tokenAuthenticator } from '../api/auth/token-authenticator.js';
import { docsViewerRoutes } from '../api/docs-viewer.js';
import { isLoopbackHost } from '../api/loopback-host.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { consoleRoutes } from '../ui/console.js';
import { batchedStdoutLog } from './batched-stdout-log.js';
import { InProcessDispatcher } from './in-process-dispatcher.js';
import { leaseFromConfig } from './job-settings.js';
import { openBackend } from './open-backend.js';
import { serviceEnvironment } from './service-environment.js';
import { threadExecutor } from './thread-executor.js';
import { readTokensFile } from './tokens-file.js';

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Waits for queued jobs, then stops listening and closes the stores. */
  close(): Promise<void>;
}

/** How many unfinished jobs a start picks up. */
const RESUME_LIMIT = 1000;

/** Starts the embedded server; port 0 picks a free port (tests). */
export async function startServer(config: Config): Promise<RunningServer> {
  const tokens = config.tokensFile ? readTokensFile(config.tokensFile) : undefined;
  const hostname = config.host ?? '127.0.0.1';
  if (!tokens && hostname !== '127.0.0.1') {
    throw new ConfigError(
      `HOST=${JSON.stringify(hostname)}: without SPLITVAULT_TOKENS_FILE the server listens on 127.0.0.1 only`,
    );
  }
  // Without tokens only loopback Host names are answered, so other presigned URLs would fail.
  if (!tokens && config.publicUrl && !isLoopbackHost(new URL(config.publicUrl).host)) {
    throw new ConfigError(
      `SPLITVAULT_PUBLIC_URL=${JSON.stringify(config.publicUrl)}: without SPLITVAULT_TOKENS_FILE it must name 127.0.0.1, localhost or [::1]`,
    );
  }
  let ready!: (fetch: (request: Request) => Response | Promise<Response>) => void;
  const app = new Promise<(request: Request) => Response | Promise<Response>>((resolve) => {
    ready = resolve;
  });
  // The public URL (and so every presigned URL) depends on the port, known only once listening.
  const server = serve({ fetch: async (request) => (await app)(request), port: config.port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, config.port)));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
  const backend = await openBackend(config, config.publicUrl ?? url);
  const threads = threadExecutor({ config, publicBaseUrl: config.publicUrl ?? url });
  const dispatcher = new InProcessDispatcher(
    {
      blobs: backend.blobs,
      lineage: backend.lineage,
      service: serviceEnvironment(config.gitCommit),
      lease: leaseFromConfig(config),
      maxDecodedBytes: config.maxDecodedBytes,
    },
    {
      queueLimit: config.jobQueueLimit,
      execute: threads.execute,
    },
  );
  const hono = createApp({
    version: pkg.version,
    blobs: backend.blobs,
    lineage: backend.lineage,
    catalog: backend.catalog,
    leakage: backend.leakage,
    jobs: dispatcher,
    signedUrls: backend.signedUrls,
    uploads: backend.uploads,
    damage: backend.damage,
    presignSeconds: config.presignSeconds,
    log: batchedStdoutLog,
    loopbackOnly: !tokens,
    docs: docsViewerRoutes(),
    console: consoleRoutes(),
    authenticator: tokens
      ? tokenAuthenticator(tokens)
      : localUserAuthenticator(`local:${userInfo().username}`),
  });
  ready((request) => hono.fetch(request));
  // Jobs a killed or crashed server left queued or running are taken up again.
  dispatcher.resume(await backend.lineage.listUnfinishedJobs(RESUME_LIMIT));
  return {
    url,
    async close() {
      await dispatcher.close();
      await threads.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      backend.close();
    },
  };
}

/**
 * A port that is taken (another splitvault, another dev server) is the commonest start-up
 * failure: say what to do instead of printing a stack trace.
 */
export function listenError(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new ConfigError(`port ${port} is in use; set PORT to a free port (PORT=0 picks one)`);
  if (error.code === 'EACCES')
    return new ConfigError(`port ${port} needs privileges this user lacks; set PORT above 1023`);
  return error;
}

async function main(): Promise<void> {
  let running: RunningServer;
  try {
    running = await startServer(loadConfig());
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  console.log(JSON.stringify({ msg: 'listening', url: running.url }));
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
