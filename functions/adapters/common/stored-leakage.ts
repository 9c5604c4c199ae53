import { createHash } from 'node:crypto';
import type { SplitName } from '../../../schemas/common.js';
import type { LeakageReport, SplitIdentities } from '../../../schemas/leakage.js';
import { concatBytes } from '../../core/concat-bytes.js';
import { IntegrityError } from '../../core/errors.js';
import type { LeakageReader, LeakageReportReader, StoredLeakageReport } from '../../core/leakage/ports.js';
import type { BlobKind, BlobStore, LineageStore } from '../../core/ports.js';

/**
 * The leakage guard's read side on any backend: the manifest's record (or, for a manifest
 * recorded before the guard and frozen again since, its latest freeze event) names the report,
 * the report names the identity sets, and every blob is checked against its address. The
 * S3/DynamoDB and file/SQLite stores share it, as they share the blob key layout.
 */
export class StoredLeakage implements LeakageReader, LeakageReportReader {
  readonly #blobs: BlobStore;
  readonly #lineage: Pick<LineageStore, 'getManifest' | 'listFreezeEvents'>;

  constructor(blobs: BlobStore, lineage: Pick<LineageStore, 'getManifest' | 'listFreezeEvents'>) {
    this.#blobs = blobs;
    this.#lineage = lineage;
  }

  async report(manifestId: string): Promise<StoredLeakageReport | undefined> {
    const manifest = await this.#lineage.getManifest(manifestId);
    if (!manifest) return undefined;
    let sha256 = manifest.leakageReport;
    if (sha256 === undefined) {
      const events = await this.#lineage.listFreezeEvents(manifestId);
      sha256 = events.findLast((event) => event.leakageReport !== undefined)?.leakageReport;
    }
    if (sha256 === undefined) return undefined;
    // The bytes hash to the address the record names, so they are the document the freeze
    // wrote; parsing them with the zod schema would only add its code to the API bundle.
    const bytes = await this.#read('leakage', sha256);
    const report = JSON.parse(new TextDecoder().decode(bytes)) as LeakageReport;
    if (report.manifestId !== manifestId) {
      throw new IntegrityError(
        `leakage report ${sha256} names manifest ${report.manifestId}, not ${manifestId}`,
      );
    }
    return { sha256, bytes, report };
  }

  async splitIdentities(manifestId: string, split: SplitName): Promise<SplitIdentities | undefined> {
    const found = await this.report(manifestId);
    if (!found) return undefined;
    const { sha256, rows, distinct, merkleRoot, identities } = found.report.splits[split];
    return { sha256, rows, distinct, merkleRoot, identities };
  }

  identitySet(address: string): Promise<Uint8Array> {
    return this.#read('identities', address);
  }

  /** The set streamed; the last step throws BLOB.INTEGRITY unless the bytes hash to the address. */
  async *openIdentitySet(address: string): AsyncIterable<Uint8Array> {
    const hash = createHash('sha256');
    for await (const chunk of await this.#blobs.open('identities', address)) {
      hash.update(chunk);
      yield chunk;
    }
    const actual = hash.digest('hex');
    if (actual !== address) throw new IntegrityError(`stored identities ${address} hashes to ${actual}`);
  }

  /** The whole blob, refused (BLOB.INTEGRITY) unless it hashes to its address. */
  async #read(kind: BlobKind, sha256: string): Promise<Uint8Array> {
    const hash = createHash('sha256');
    const chunks: Uint8Array[] = [];
    for await (const chunk of await this.#blobs.open(kind, sha256)) {
      hash.update(chunk);
      chunks.push(chunk);
    }
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new IntegrityError(`stored ${kind} ${sha256} hashes to ${actual}`);
    return concatBytes(chunks);
  }
}
