import { IntegrityError } from '../errors.js';

/**
 * The test-quarantine check (docs/SPLIT-SPEC.md §8.7): which identities of an alias's current
 * test split the new target would train or validate on. Identity sets are sorted and distinct
 * (§8.2), so this is a merge of two sorted streams of 32-byte records, never a lookup table.
 */

/** Bytes of one identity (§8.1); not imported from the row encoder, which pulls in Arrow. */
const ID_BYTES = 32;

/** Examples a refused move lists; the count is always exact. */
export const MAX_LEAK_EXAMPLES = 20;

/** The splits of the new target a former test row must not be in. */
export type LeakSplit = 'train' | 'validation';

export interface TestLeak {
  /** (identity, split) pairs: a former test row in both train and validation counts twice. */
  readonly count: number;
  /** Up to MAX_LEAK_EXAMPLES, train before validation, ascending identity within each. */
  readonly examples: readonly { readonly identity: string; readonly split: LeakSplit }[];
}

/** An identity set, re-readable: the test set is merged once per candidate split. */
export type IdentityStream = () => AsyncIterable<Uint8Array>;

/** Bytewise order of the identities at a[i] and b[j] (negative, 0, positive), in place. */
function compareAt(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  for (let k = 0; k < ID_BYTES; k++) {
    const d = a[i + k]! - b[j + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Reads 32-byte records from chunks cut anywhere, and checks they strictly ascend. The current
 * identity is `buf` at `at`, so stepping allocates nothing (a subarray per record cost more
 * than the comparisons); only a record cut by a chunk boundary copies that chunk once.
 */
class IdentityCursor {
  buf: Uint8Array = new Uint8Array(0);
  at = -ID_BYTES;
  done = false;
  private readonly last = new Uint8Array(ID_BYTES);

  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  /** Moves to the next identity; returns a promise only when it must wait for a chunk. */
  step(): Promise<void> | undefined {
    const previous = this.at;
    this.at += ID_BYTES;
    if (this.at + ID_BYTES > this.buf.length) return this.refill(previous);
    // A set out of order would make the merge miss leaks silently: refuse it instead.
    if (previous >= 0 && compareAt(this.buf, this.at, this.buf, previous) <= 0) throw unordered();
    return undefined;
  }

  private async refill(previous: number): Promise<void> {
    if (previous >= 0) this.last.set(this.buf.subarray(previous, previous + ID_BYTES));
    let rest = this.buf.subarray(this.at);
    while (rest.length < ID_BYTES) {
      const read = await this.chunks.next();
      if (read.done) {
        if (rest.length > 0) throw new IntegrityError('identity set cut mid-identity');
        this.done = true;
        return;
      }
      rest = rest.length > 0 ? Buffer.concat([rest, read.value]) : read.value;
    }
    this.buf = rest;
    this.at = 0;
    if (previous >= 0 && compareAt(rest, 0, this.last, 0) <= 0) throw unordered();
  }

  /**
   * Reads what the merge didn't need: a streaming reader checks the set against its address
   * only when its stream ends, and a damaged set must fail the check, not slip past it.
   */
  async drain(): Promise<void> {
    while (!(await this.chunks.next()).done);
  }
}

const unordered = () => new IntegrityError('identity set out of order');

/**
 * Former test rows in the new target's train and validation sets. Merges one candidate set at
 * a time with the test set, so memory is what the two streams hold, never a whole manifest.
 */
export async function findTestLeak(
  test: IdentityStream,
  candidates: readonly { readonly split: LeakSplit; readonly identities: IdentityStream }[],
): Promise<TestLeak> {
  let count = 0;
  const examples: { identity: string; split: LeakSplit }[] = [];
  for (const { split, identities } of candidates) {
    const x = new IdentityCursor(test()[Symbol.asyncIterator]());
    const y = new IdentityCursor(identities()[Symbol.asyncIterator]());
    await x.step();
    await y.step();
    while (!x.done && !y.done) {
      const order = compareAt(x.buf, x.at, y.buf, y.at);
      if (order === 0 && count++ < MAX_LEAK_EXAMPLES) {
        examples.push({
          identity: Buffer.from(x.buf.subarray(x.at, x.at + ID_BYTES)).toString('hex'),
          split,
        });
      }
      // Awaited only when a cursor needs another chunk: an await per record would dominate.
      if (order <= 0) {
        const wait = x.step();
        if (wait) await wait;
      }
      if (order >= 0) {
        const wait = y.step();
        if (wait) await wait;
      }
    }
    await x.drain();
    await y.drain();
  }
  return { count, examples };
}
