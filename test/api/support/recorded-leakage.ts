import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoredLeakage } from '../../../functions/adapters/common/stored-leakage.js';
import { createApp } from '../../../functions/api/app.js';
import { tokenAuthenticator } from '../../../functions/api/auth/token-authenticator.js';
import { concatBytes } from '../../../functions/core/concat-bytes.js';
import type { LeakageReader, LeakageReportReader } from '../../../functions/core/leakage/ports.js';
import type { BlobStore, LineageStore } from '../../../functions/core/ports.js';
import { createEmbeddedBackend } from '../../../functions/handlers/embedded-backend.js';
import { InProcessDispatcher } from '../../../functions/handlers/in-process-dispatcher.js';
import { serviceEnvironment } from '../../../functions/handlers/service-environment.js';
import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { SplitIdentities } from '../../../schemas/leakage.js';
import type { ApiHarness } from './harness.js';
import { TOKENS } from './harness.js';

/**
 * The real stored leakage (StoredLeakage: what the freeze recorded), seen through a wrapper
 * that counts identity-set reads and can replace what is recorded for a split, to test a proof
 * against a report that does not match its set.
 */
export class RecordedLeakage implements LeakageReader, LeakageReportReader {
  private readonly overrides = new Map<string, SplitIdentities>();
  private readonly real: StoredLeakage;
  /** Identity sets read, by address: how often a tree had to be built. */
  readonly reads: string[] = [];

  constructor(
    private readonly blobs: BlobStore,
    lineage: LineageStore,
  ) {
    this.real = new StoredLeakage(blobs, lineage);
  }

  /** What the freeze recorded for every split of a frozen manifest. */
  async record(manifestId: string): Promise<Record<SplitName, SplitIdentities>> {
    const out = {} as Record<SplitName, SplitIdentities>;
    for (const split of SPLIT_NAMES) {
      const found = await this.real.splitIdentities(manifestId, split);
      if (!found) throw new Error(`manifest ${manifestId} recorded no identities`);
      out[split] = found;
    }
    return out;
  }

  /** Replaces what is recorded for a split (to test a report that does not match its set). */
  override(manifestId: string, split: SplitName, identities: SplitIdentities): void {
    this.overrides.set(`${manifestId}/${split}`, identities);
  }

  report(manifestId: string) {
    return this.real.report(manifestId);
  }

  async splitIdentities(manifestId: string, split: SplitName): Promise<SplitIdentities | undefined> {
    return this.overrides.get(`${manifestId}/${split}`) ?? this.real.splitIdentities(manifestId, split);
  }

  async identitySet(address: string): Promise<Uint8Array> {
    this.reads.push(address);
    return this.real.identitySet(address);
  }

  /** The whole split file (or identity set) stored at `sha256`. */
  async read(sha256: string): Promise<Uint8Array> {
    const kind = (await this.blobs.head('artifact', sha256)) ? 'artifact' : 'identities';
    const chunks: Uint8Array[] = [];
    for await (const chunk of await this.blobs.open(kind, sha256)) chunks.push(chunk);
    return concatBytes(chunks);
  }
}

/** The embedded app with a RecordedLeakage as `deps.leakage`, called in-process like ApiHarness. */
export async function leakageHarness(): Promise<ApiHarness & { readonly leakage: RecordedLeakage }> {
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-membership-'));
  const stores = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://splitvault.test' });
  const leakage = new RecordedLeakage(stores.blobs, stores.lineage);
  const dispatcher = new InProcessDispatcher({ ...stores, service: serviceEnvironment('test-commit') });
  const logs: Record<string, unknown>[] = [];
  const app = createApp({
    version: '0.0.0-test',
    ...stores,
    jobs: dispatcher,
    leakage,
    authenticator: tokenAuthenticator({
      [TOKENS.admin]: { actor: 'root', roles: ['reader', 'writer', 'deployer'] },
      [TOKENS.reader]: { actor: 'alice', roles: ['reader'] },
    }),
    presignSeconds: 900,
    log: (line) => logs.push({ ...line }),
    waitPollMs: 50,
  });
  return {
    backend: 'embedded',
    app,
    blobs: stores.blobs,
    lineage: stores.lineage,
    logs,
    dataDir: dir,
    leakage,
    fetchPresigned: async (url, init) => app.request(url, init),
    async close() {
      await dispatcher.idle();
      stores.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
