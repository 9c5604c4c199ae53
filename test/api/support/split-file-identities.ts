import { createHash } from 'node:crypto';
import { tableFromIPC } from 'apache-arrow';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { IntegrityError } from '../../../functions/core/errors.js';
import { merkleTree, sortedDistinct } from '../../../functions/core/leakage/merkle.js';
import type { LeakageReader } from '../../../functions/core/leakage/ports.js';
import { rowIdentities } from '../../../functions/core/leakage/row-identity.js';
import type { BlobStore, LineageStore } from '../../../functions/core/ports.js';
import type { SplitName } from '../../../schemas/common.js';
import type { SplitIdentities } from '../../../schemas/leakage.js';

async function readAll(blobs: BlobStore, sha256: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await blobs.open('artifact', sha256)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A LeakageReader standing in for the one the leakage report will provide (LEAKAGE-DESIGN.md):
 * it computes each split's identity set from the freeze's real split file with the real core
 * functions, stores it in the real blob store under its address, and serves it from there.
 * `withhold` makes a manifest look frozen before the leakage guard (no identities stored).
 */
export class SplitFileIdentities implements LeakageReader {
  private readonly withheld = new Set<string>();
  /** Identity-set reads, so tests can see which sets a check needed. */
  readonly reads: string[] = [];

  /** With `stream`, it also offers openIdentitySet, as a blob-store-backed reader would. */
  constructor(
    private readonly blobs: BlobStore,
    private readonly lineage: LineageStore,
    stream = false,
  ) {
    if (stream) this.openIdentitySet = (address) => this.streamSet(address);
  }

  readonly openIdentitySet?: (address: string) => AsyncIterable<Uint8Array>;

  withhold(manifestId: string): void {
    this.withheld.add(manifestId);
  }

  async splitIdentities(manifestId: string, split: SplitName): Promise<SplitIdentities | undefined> {
    const manifest = await this.lineage.getManifest(manifestId);
    if (!manifest || this.withheld.has(manifestId)) return undefined;
    const file = manifest.splits[split].sha256;
    const table = tableFromIPC(await readAll(this.blobs, file));
    const set = sortedDistinct(rowIdentities(flattenTable(table), table.numRows));
    const address = sha256Hex(set);
    await this.blobs.put('artifact', address, set, set.length);
    return {
      sha256: file,
      rows: table.numRows,
      distinct: set.length / 32,
      merkleRoot: Buffer.from(merkleTree(set).root).toString('hex'),
      identities: address,
    };
  }

  private async *streamSet(address: string): AsyncIterable<Uint8Array> {
    this.reads.push(address);
    const hash = createHash('sha256');
    for await (const chunk of await this.blobs.open('artifact', address)) {
      hash.update(chunk);
      yield chunk;
    }
    if (hash.digest('hex') !== address)
      throw new IntegrityError(`identity set ${address} does not hash to its address`);
  }

  async identitySet(address: string): Promise<Uint8Array> {
    this.reads.push(address);
    const bytes = await readAll(this.blobs, address);
    if (sha256Hex(bytes) !== address)
      throw new IntegrityError(`identity set ${address} does not hash to its address`);
    return bytes;
  }
}
