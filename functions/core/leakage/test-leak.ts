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

/** Reads 32-byte records from chunks cut anywhere, and checks they strictly ascend. */
class IdentityCursor {
  /** The current identity; undefined once the set is exhausted. */
  id: Uint8Array | undefined;
  private readonly chunks: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly carry = new Uint8Array(ID_BYTES);
  private readonly last = new Uint8Array(ID_BYTES);
  private started = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.chunks = source[Symbol.asyncIterator]();
  }

  /** Moves to the next identity; returns a promise only when it must wait for a chunk. */
  step(): Promise<void> | undefined {
    if (this.id) this.last.set(this.id);
    if (this.chunk.length - this.at >= ID_BYTES) {
      this.accept(this.chunk.subarray(this.at, this.at + ID_BYTES));
      this.at += ID_BYTES;
      return undefined;
    }
    return this.refill();
  }

  private async refill(): Promise<void> {
    let filled = this.chunk.length - this.at;
    this.carry.set(this.chunk.subarray(this.at));
    this.chunk = new Uint8Array(0);
    this.at = 0;
    while (filled < ID_BYTES) {
      const next = await this.chunks.next();
      if (next.done) {
        if (filled > 0)
          throw new IntegrityError('an identity set is not a whole number of 32-byte identities');
        this.id = undefined;
        return;
      }
      const take = Math.min(ID_BYTES - filled, next.value.length);
      this.carry.set(next.value.subarray(0, take), filled);
      filled += take;
      this.chunk = next.value;
      this.at = take;
    }
    this.accept(this.carry);
  }

  private accept(id: Uint8Array): void {
    // A set out of order would make the merge miss leaks silently: refuse it instead.
    if (this.started && Buffer.compare(id, this.last) <= 0) {
      throw new IntegrityError('an identity set is not in strictly ascending order');
    }
    this.started = true;
    this.id = id;
  }
}

async function advance(cursor: IdentityCursor): Promise<void> {
  const wait = cursor.step();
  if (wait) await wait;
}

/** Calls `hit` for each identity in both sorted sets, ascending. */
async function intersect(
  a: AsyncIterable<Uint8Array>,
  b: AsyncIterable<Uint8Array>,
  hit: (id: Uint8Array) => void,
): Promise<void> {
  const x = new IdentityCursor(a);
  const y = new IdentityCursor(b);
  await advance(x);
  await advance(y);
  while (x.id && y.id) {
    const order = Buffer.compare(x.id, y.id);
    if (order === 0) hit(x.id);
    if (order <= 0) await advance(x);
    if (order >= 0) await advance(y);
  }
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
