/**
 * Builds the real app on either backend for reliability tests. Unlike test/api's harness it
 * lets a test wrap the stores (fault injection) before the app and the job runner see them.
 */

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
import type { BlobStore, CatalogStore, LineageStore } from '../../../functions/core/ports.js';
import { type AwsTimeouts, createAwsBackend } from '../../../functions/handlers/aws-backend.js';
import { createEmbeddedBackend } from '../../../functions/handlers/embedded-backend.js';
import { InProcessDispatcher } from '../../../functions/handlers/in-process-dispatcher.js';
import { serviceEnvironment } from '../../../functions/handlers/service-environment.js';
import type { ShardingDeps } from '../../../functions/jobs/freeze-sharded.js';
import { freshAwsConfig } from '../../conformance/emulator-env.js';
import { GRANTS } from './tokens.js';

export type Backend = 'embedded' | 'aws';
export const BACKENDS: readonly Backend[] = ['embedded', 'aws'];

export interface Stores {
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  readonly catalog: CatalogStore;
  readonly signedUrls?: SignedUrls;
}

export interface Harness {
  readonly backend: Backend;
  readonly app: Hono<AppEnv>;
  /** The stores as the app sees them (wrapped, when a wrapper was given). */
  readonly stores: Stores;
  /** The unwrapped stores, for checks that must not trip an injected fault. */
  readonly raw: Stores;
  /** Blob files live here on the embedded backend; the bucket name on AWS. */
  readonly location: string;
  readonly logs: Record<string, unknown>[];
  readonly dispatcher: InProcessDispatcher;
  /** Calls a presigned URL: the app itself when embedded, versitygw on AWS. */
  fetchPresigned(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly wrap?: (stores: Stores) => Stores;
  readonly presignSeconds?: number;
  /** The app's clock (signed URL expiry checks); the stores keep the real one. */
  readonly now?: () => Date;
  /** SDK timeouts for the aws backend (the outage test wants them short). */
  readonly awsTimeouts?: AwsTimeouts;
  /** The embedded data dir (e.g. on a small tmpfs); left in place on close. @default a fresh temp dir */
  readonly dataDir?: string;
  /** The freeze budget of decoded bytes. @default unlimited, as the engine */
  readonly maxDecodedBytes?: number;
  /** Freeze datasets past this budget in shards. @default every dataset in one process */
  readonly sharding?: ShardingDeps;
}

function build(
  backend: Backend,
  raw: Stores,
  location: string,
  close: () => Promise<void>,
  options: HarnessOptions,
): Harness {
  const stores = options.wrap ? options.wrap(raw) : raw;
  const logs: Record<string, unknown>[] = [];
  const log = (line: Record<string, unknown>) => logs.push({ ...line });
  const dispatcher = new InProcessDispatcher({
    blobs: stores.blobs,
    lineage: stores.lineage,
    service: serviceEnvironment('reliability'),
    log,
    maxDecodedBytes: options.maxDecodedBytes,
    ...(options.sharding ? { sharding: options.sharding } : {}),
  });
  const app = createApp({
    version: '0.0.0-reliability',
    ...stores,
    leakage: new StoredLeakage(stores.blobs, stores.lineage),
    jobs: dispatcher,
    authenticator: tokenAuthenticator(GRANTS),
    docs: docsViewerRoutes(),
    presignSeconds: options.presignSeconds ?? 900,
    log,
    waitPollMs: 20,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    backend,
    app,
    stores,
    raw,
    location,
    logs,
    dispatcher,
    fetchPresigned: async (url, init) => (backend === 'embedded' ? app.request(url, init) : fetch(url, init)),
    async close() {
      await dispatcher.idle();
      await close();
    },
  };
}

/** A fresh data dir (embedded) or a fresh bucket and table on the emulators (aws). */
export async function createHarness(backend: Backend, options: HarnessOptions = {}): Promise<Harness> {
  if (backend === 'embedded') {
    const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'splitvault-rel-')));
    const stores = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://splitvault.test' });
    await stores.swept;
    return build(
      'embedded',
      stores,
      join(dir, 'blobs'),
      async () => {
        stores.close();
        if (!options.dataDir) await rm(dir, { recursive: true, force: true });
      },
      options,
    );
  }
  const config = await freshAwsConfig('rel');
  const stores = await createAwsBackend(config, options.awsTimeouts);
  return build('aws', stores, config.bucket!, async () => undefined, options);
}
