import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { createApp } from '../../../functions/api/app.js';
import { tokenAuthenticator } from '../../../functions/api/auth/token-authenticator.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { concatBytes } from '../../../functions/core/concat-bytes.js';
import { IntegrityError } from '../../../functions/core/errors.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { merkleTree, sortedDistinct } from '../../../functions/core/leakage/merkle.js';
import type { LeakageReader } from '../../../functions/core/leakage/ports.js';
import { rowIdentities } from '../../../functions/core/leakage/row-identity.js';
import type { BlobStore, LineageStore } from '../../../functions/core/ports.js';
import { createEmbeddedBackend } from '../../../functions/handlers/embedded-backend.js';
import { InProcessDispatcher } from '../../../functions/handlers/in-process-dispatcher.js';
import { serviceEnvironment } from '../../../functions/handlers/service-environment.js';
import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { SplitIdentities } from '../../../schemas/leakage.js';
import type { ApiHarness } from './harness.js';
import { TOKENS } from './harness.js';

/**
 * Until the leakage report is stored at freeze time (LEAKAGE-DESIGN.md, L1), tests serve a
 * freeze's identities through this LeakageReader: computed with the core functions from the
 * real split files the freeze stored, the identity set kept in the real blob store.
 */
export class RecordedLeakage implements LeakageReader {
  private readonly recorded = new Map<string, SplitIdentities>();
  /** Identity sets read, by address: how often a tree had to be built. */
  readonly reads: string[] = [];

  constructor(
    private readonly blobs: BlobStore,
    private readonly lineage: LineageStore,
  ) {}

  /** Computes and stores the identities of every split of a frozen manifest. */
  async record(manifestId: string): Promise<Record<SplitName, SplitIdentities>> {
    const manifest = await this.lineage.getManifest(manifestId);
    if (!manifest) throw new Error(`no manifest ${manifestId}`);
    const out = {} as Record<SplitName, SplitIdentities>;
    for (const split of SPLIT_NAMES) {
      const { sha256, rows } = manifest.splits[split];
      const table = tableFromIPC(await this.read(sha256));
      const set = sortedDistinct(rowIdentities(flattenTable(table), table.numRows));
      const address = sha256Hex(set);
      if (set.length > 0) await this.blobs.put('artifact', address, set, set.length);
      const tree = merkleTree(set);
      out[split] = {
        sha256,
        rows,
        distinct: tree.size,
        merkleRoot: Buffer.from(tree.root).toString('hex'),
        identities: address,
      };
      this.recorded.set(`${manifestId}/${split}`, out[split]);
    }
    return out;
  }

  /** Replaces what is recorded for a split (to test a report that does not match its set). */
  override(manifestId: string, split: SplitName, identities: SplitIdentities): void {
    this.recorded.set(`${manifestId}/${split}`, identities);
  }

  async splitIdentities(manifestId: string, split: SplitName): Promise<SplitIdentities | undefined> {
    return this.recorded.get(`${manifestId}/${split}`);
  }

  async identitySet(address: string): Promise<Uint8Array> {
    this.reads.push(address);
    const bytes = await this.read(address);
    if (sha256Hex(bytes) !== address) throw new IntegrityError(`identity set ${address} is damaged`);
    return bytes;
  }

  /** The whole split file or identity set stored at `sha256`. */
  async read(sha256: string): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of await this.blobs.open('artifact', sha256)) chunks.push(chunk);
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
