import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { StoredLeakage } from '../../../functions/adapters/common/stored-leakage.js';
import { createApp } from '../../../functions/api/app.js';
import { tokenAuthenticator } from '../../../functions/api/auth/token-authenticator.js';
import type { AppEnv } from '../../../functions/api/context.js';
import type { SignedUrls } from '../../../functions/api/deps.js';
import { docsViewerRoutes } from '../../../functions/api/docs-viewer.js';
import type { LeakageReader, LeakageReportReader } from '../../../functions/core/leakage/ports.js';
import type { BlobStore, CatalogStore, LineageStore } from '../../../functions/core/ports.js';
import { createAwsBackend } from '../../../functions/handlers/aws-backend.js';
import { createEmbeddedBackend } from '../../../functions/handlers/embedded-backend.js';
import {
  InProcessDispatcher,
  type InProcessDispatcherOptions,
} from '../../../functions/handlers/in-process-dispatcher.js';
import { serviceEnvironment } from '../../../functions/handlers/service-environment.js';
import { freshAwsConfig } from '../../conformance/emulator-env.js';

/** One token per role, plus one holding all three. */
export const TOKENS = {
  reader: 'reader-token-0123456789abcdef',
  writer: 'writer-token-0123456789abcdef',
  deployer: 'deployer-token-0123456789abcd',
  admin: 'admin-token-0123456789abcdefg',
} as const;

const GRANTS = {
  [TOKENS.reader]: { actor: 'alice', roles: ['reader'] as const },
  [TOKENS.writer]: { actor: 'bob', roles: ['reader', 'writer'] as const },
  [TOKENS.deployer]: { actor: 'carol', roles: ['reader', 'deployer'] as const },
  [TOKENS.admin]: { actor: 'root', roles: ['reader', 'writer', 'deployer'] as const },
};

/** An app on one backend, called in-process, plus a way to use the URLs it presigns. */
export interface ApiHarness {
  readonly backend: 'embedded' | 'aws';
  readonly app: Hono<AppEnv>;
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  readonly logs: Record<string, unknown>[];
  /** The embedded backend's data directory (to tamper with stored bytes in tests). */
  readonly dataDir?: string;
  /** Calls a presigned URL: the app itself on the embedded backend, S3 (versitygw) on AWS. */
  fetchPresigned(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

interface Stores {
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  readonly catalog: CatalogStore;
  readonly signedUrls?: SignedUrls;
}

function build(
  backend: ApiHarness['backend'],
  stores: Stores,
  close: () => Promise<void>,
  dataDir?: string,
  jobs: HarnessOptions = {},
): ApiHarness {
  const logs: Record<string, unknown>[] = [];
  const dispatcher = new InProcessDispatcher(
    { ...stores, service: serviceEnvironment('test-commit') },
    jobs.execute ? { execute: jobs.execute } : {},
  );
  const app = createApp({
    version: '0.0.0-test',
    ...stores,
    leakage: jobs.leakage ? jobs.leakage(stores) : new StoredLeakage(stores.blobs, stores.lineage),
    jobs: dispatcher,
    authenticator: tokenAuthenticator(GRANTS),
    docs: docsViewerRoutes(),
    presignSeconds: 900,
    log: (line) => logs.push({ ...line }),
    waitPollMs: 50,
  });
  return {
    backend,
    app,
    ...stores,
    ...(dataDir ? { dataDir } : {}),
    logs,
    fetchPresigned: (url, init) =>
      backend === 'embedded' ? Promise.resolve(app.request(url, init)) : fetch(url, init),
    async close() {
      await dispatcher.idle();
      await close();
    },
  };
}

/** How the harness's dispatcher runs jobs. */
export interface HarnessOptions {
  /** Does each job's work; given the data directory (embedded). @default in this thread */
  readonly execute?: InProcessDispatcherOptions['execute'];
  /** The app's `deps.leakage`, built on the harness's stores. @default StoredLeakage */
  readonly leakage?: (stores: Stores) => LeakageReader & LeakageReportReader;
}

export async function embeddedHarness(
  jobs: HarnessOptions | ((dataDir: string) => HarnessOptions) = {},
): Promise<ApiHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-api-'));
  const stores = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://splitvault.test' });
  return build(
    'embedded',
    stores,
    async () => {
      stores.close();
      await rm(dir, { recursive: true, force: true });
    },
    dir,
    typeof jobs === 'function' ? jobs(dir) : jobs,
  );
}

/** Fresh bucket and table on the emulators (fails loudly when they are not running). */
export async function awsHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const config = await freshAwsConfig('api');
  const stores = await createAwsBackend(config);
  return build('aws', stores, async () => undefined, undefined, options);
}
