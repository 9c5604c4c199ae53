import type { ColumnType } from '../../../schemas/spec.js';
import { CELL_NULL, type ColumnCells } from '../ingest/cells.js';
import { BUILDERS, firstFit } from '../ingest/infer.js';

/** The types inference tries before utf8, as bits of `InferScan.fits`. */
const CANDIDATES = ['bool', 'int64', 'float64', 'timestamp'] as const;
const ALL = (1 << CANDIDATES.length) - 1;
const bitOf = (type: ColumnType): number => {
  const i = CANDIDATES.indexOf(type as (typeof CANDIDATES)[number]);
  return i < 0 ? 0 : 1 << i;
};

/**
 * One shard's facts about one column, enough to continue whole-file inference (infer.ts)
 * across shard boundaries: inference is a walk whose state is a candidate type, and what a
 * shard does to any candidate depends only on these.
 */
export interface InferScan {
  /** The first non-null cell's first fitting type; null when every cell is null. */
  readonly first: ColumnType | null;
  /** Bit i set: every non-null cell fits CANDIDATES[i], as its inferring builder reads it. */
  readonly fits: number;
  /** The first cell int64 refuses: its first fitting type (float64 widens int64), else null. */
  readonly intMisfit: ColumnType | null;
}

/** The inference state after a prefix of the dataset's shards. */
export interface InferState {
  readonly candidate: ColumnType | null;
  /** Every non-null cell so far fits these (widening int64 to float64 re-reads them all). */
  readonly fits: number;
}

export const INFER_START: InferState = { candidate: null, fits: ALL };

/** A shard with no cells in this column (a JSON Lines shard that never names it). */
export const ALL_NULL: InferScan = { first: null, fits: ALL, intMisfit: null };

/** Scans one shard's cells of a column. */
export function scanInference(column: ColumnCells): InferScan {
  let first: ColumnType | null = null;
  for (let r = 0, i = column.first; r < column.rows; r++, i += column.stride) {
    if (!(column.flags[i]! & CELL_NULL)) {
      first = firstFit(column, i);
      break;
    }
  }
  if (first === null) return ALL_NULL;
  let fits = 0;
  let intMisfit: ColumnType | null = null;
  for (const [bit, type] of CANDIDATES.entries()) {
    // An int64 cell is a canonical integer within 2^53 (number-grammar.ts), which float64
    // reads too: a column int64 fits, float64 fits, without a second full pass.
    if (type === 'float64' && fits & bitOf('int64')) {
      fits |= 1 << bit;
      continue;
    }
    const built = BUILDERS[type](column, true);
    if (typeof built !== 'number') fits |= 1 << bit;
    else if (type === 'int64') intMisfit = firstFit(column, column.first + built * column.stride);
  }
  return { first, fits, intMisfit };
}

/**
 * Continues inference over the next shard: the candidate stays while the shard's cells fit it;
 * int64 meeting a float widens to float64 if every cell so far and in this shard is one; any
 * other misfit makes the column utf8 (infer.ts). Folding the shards in order gives the type
 * inference gives the whole column.
 */
export function continueInference(state: InferState, scan: InferScan): InferState {
  const fits = state.fits & scan.fits;
  const candidate = state.candidate ?? scan.first;
  if (candidate === null || candidate === 'utf8' || scan.fits & bitOf(candidate)) {
    return { candidate, fits };
  }
  if (candidate === 'int64' && scan.intMisfit === 'float64' && fits & bitOf('float64')) {
    return { candidate: 'float64', fits };
  }
  return { candidate: 'utf8', fits };
}

/** The inferred type once every shard is in: a column with no value at all is utf8. */
export function inferredType(state: InferState): ColumnType {
  return state.candidate ?? 'utf8';
}
