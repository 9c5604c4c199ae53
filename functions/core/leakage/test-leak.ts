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
 * identity is `buf` at `at` (inside the chunk, or in `carry` when it straddled two chunks), so
 * stepping allocates nothing: millions of steps per second, a set of 8M rows in well under a
 * second, where a subarray per record cost over a microsecond each.
 */
class IdentityCursor {
  buf: Uint8Array = new Uint8Array(0);
  at = 0;
  done = false;
  private readonly chunks: AsyncIterator<Uint8Array>;
  /** The chunk being read and the offset of its next unread byte. */
  private chunk: Uint8Array = new Uint8Array(0);
  private next = 0;
  private readonly carry = new Uint8Array(ID_BYTES);
  private readonly last = new Uint8Array(ID_BYTES);
  private started = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** Moves to the next identity; returns a promise only when it must wait for a chunk. */
  step(): Promise<void> | undefined {
    if (this.chunk.length - this.next >= ID_BYTES && this.buf === this.chunk) {
      const previous = this.at;
      this.at = this.next;
      this.next += ID_BYTES;
      // A set out of order would make the merge miss leaks silently: refuse it instead.
      if (compareAt(this.chunk, this.at, this.chunk, previous) <= 0) throw unordered();
      return undefined;
    }
    return this.slow();
  }

  private async slow(): Promise<void> {
    if (this.started) this.last.set(this.buf.subarray(this.at, this.at + ID_BYTES));
    let filled = 0;
    if (this.chunk.length - this.next >= ID_BYTES) {
      this.buf = this.chunk;
      this.at = this.next;
      this.next += ID_BYTES;
    } else {
      filled = this.chunk.length - this.next;
      this.carry.set(this.chunk.subarray(this.next));
      while (filled < ID_BYTES) {
        const read = await this.chunks.next();
        if (read.done) {
          if (filled > 0)
            throw new IntegrityError('an identity set is not a whole number of 32-byte identities');
          this.done = true;
          return;
        }
        const take = Math.min(ID_BYTES - filled, read.value.length);
        this.carry.set(read.value.subarray(0, take), filled);
        filled += take;
        this.chunk = read.value;
        this.next = take;
      }
      this.buf = this.carry;
      this.at = 0;
    }
    if (this.started && compareAt(this.buf, this.at, this.last, 0) <= 0) throw unordered();
    this.started = true;
  }

  /**
   * Reads what the merge didn't need: a streaming reader checks the set against its address
   * only when its stream ends, and a damaged set must fail the check, not slip past it.
   */
  async drain(): Promise<void> {
    while (!(await this.chunks.next()).done);
  }
}

const unordered = () => new IntegrityError('an identity set is not in strictly ascending order');

/** Calls `hit` for each identity in both sorted sets, ascending. */
async function intersect(
  a: AsyncIterable<Uint8Array>,
  b: AsyncIterable<Uint8Array>,
  hit: (id: Uint8Array) => void,
): Promise<void> {
  const x = new IdentityCursor(a);
  const y = new IdentityCursor(b);
  await x.step();
  await y.step();
  while (!x.done && !y.done) {
    const order = compareAt(x.buf, x.at, y.buf, y.at);
    if (order === 0) hit(x.buf.subarray(x.at, x.at + ID_BYTES));
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

/**
 * Former test rows in the new target's train and validation sets. Reads one candidate set at
 * a time beside the test set, so memory is what the two streams hold, never a whole manifest.
 */
export async function findTestLeak(
  test: IdentityStream,
  candidates: readonly { readonly split: LeakSplit; readonly identities: IdentityStream }[],
): Promise<TestLeak> {
  let count = 0;
  const examples: { identity: string; split: LeakSplit }[] = [];
  for (const { split, identities } of candidates) {
    await intersect(test(), identities(), (id) => {
      count += 1;
      if (examples.length < MAX_LEAK_EXAMPLES)
        examples.push({ identity: Buffer.from(id).toString('hex'), split });
    });
  }
  return { count, examples };
}
