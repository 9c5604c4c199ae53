import type { SplitName } from '../../schemas/common.js';

/** Rows, bytes and SHA-256 of one written split file. */
export interface SplitFile {
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export type SplitRows = Readonly<Record<SplitName, SplitFile>>;

/** The JSON line every measured process prints: the engine's cases and the Python peers alike. */
export interface CaseResult {
  readonly peer: string;
  readonly mode?: string;
  readonly format?: string;
  readonly inputBytes?: number;
  /** Time inside the process, without start-up and imports. */
  readonly innerSeconds: number;
  readonly maxRssBytes: number;
  /** User + system CPU seconds of the whole process: steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
  /** Wall and CPU seconds per stage (stages mode only). */
  readonly stages?: Readonly<Record<string, { readonly wall: number; readonly cpu: number }>>;
  readonly splits: SplitRows;
}
