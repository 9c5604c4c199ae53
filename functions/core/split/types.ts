import type { SplitName } from '../../../schemas/common.js';

export type Ratios = Readonly<Record<SplitName, number>>;

/** Row indices (0-based, into the source table) of each split, in output order. */
export type SplitIndices = Readonly<Record<SplitName, Uint32Array>>;

/** Split index of each row: 0 train, 1 validation, 2 test. */
export type SplitOfRow = Uint8Array;
