import type { SplitName } from '../../../schemas/common.js';
import type { LeakageReport, SplitIdentities } from '../../../schemas/leakage.js';

/**
 * Read side of what a freeze stored for the leakage guard; membership proofs and test
 * quarantine read identities through it, never by re-reading split files.
 */
export interface LeakageReader {
  /**
   * The identities of a manifest's split as its leakage report records them, or undefined when
   * that freeze recorded none (frozen before the leakage guard, or with `dedupe: "none"`).
   */
  splitIdentities(manifestId: string, split: SplitName): Promise<SplitIdentities | undefined>;
  /**
   * The identity set at `address` (sorted distinct 32-byte identities), its bytes checked
   * against the address; BLOB.INTEGRITY-style errors when they do not match.
   */
  identitySet(address: string): Promise<Uint8Array>;
  /**
   * Optional: the same set as chunks cut anywhere, checked against the address by the time the
   * stream ends. Test quarantine streams through it, so its memory doesn't grow with the sets;
   * without it, sets too large to read whole can't be checked (docs/SPLIT-SPEC.md §8.7).
   */
  openIdentitySet?(address: string): AsyncIterable<Uint8Array>;
}

/** A freeze's stored leakage report: its address, its RFC 8785 bytes, and the document. */
export interface StoredLeakageReport {
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly report: LeakageReport;
}

/** The whole leakage report of a freeze, for `GET /v1/splits/{id}/leakage` and `show`. */
export interface LeakageReportReader {
  /** The report the freeze recorded (bytes checked against the address), or undefined. */
  report(manifestId: string): Promise<StoredLeakageReport | undefined>;
}
