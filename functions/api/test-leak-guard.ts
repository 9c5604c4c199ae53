import type { SplitIdentities } from '../../schemas/leakage.js';
import type { AliasRecord } from '../../schemas/records.js';
import { ConflictError } from '../core/errors.js';
import type { LeakageReader } from '../core/leakage/ports.js';
import {
  findTestLeak,
  type IdentityStream,
  type LeakSplit,
  type TestLeak,
} from '../core/leakage/test-leak.js';

const CANDIDATES: readonly LeakSplit[] = ['train', 'validation'];

/**
 * Bytes of identity sets a check holds at once (the test set and one candidate) when the
 * reader can't stream them: 256 MiB is 8M distinct rows, within the API function's 1 GiB.
 */
export const WHOLE_SETS_BUDGET_BYTES = 256 * 2 ** 20;

/**
 * Former test rows of `from` in the train and validation splits of `to`, from the identity
 * sets stored at freeze time; a string saying why not when they can't be compared.
 */
async function testLeak(
  leakage: LeakageReader | undefined,
  from: string,
  to: string,
  budget: number,
): Promise<TestLeak | string> {
  const test = await leakage?.splitIdentities(from, 'test');
  const sets = await Promise.all(CANDIDATES.map((split) => leakage?.splitIdentities(to, split)));
  if (!leakage || !test || !sets[0] || !sets[1]) return 'no stored row identities';
  if (test.distinct === 0) return { count: 0, examples: [] };
  const { openIdentitySet } = leakage;
  let stream =
    (set: SplitIdentities): IdentityStream =>
    () =>
      openIdentitySet!.call(leakage, set.identities);
  if (!openIdentitySet) {
    const bytes = 32 * (test.distinct + Math.max(sets[0].distinct, sets[1].distinct));
    if (bytes > budget) return `identity sets over ${budget} bytes`;
    // The test set is read once and held; each candidate set only while it is merged.
    const testIds = await leakage.identitySet(test.identities);
    stream = (set) =>
      async function* () {
        yield set === test ? testIds : await leakage.identitySet(set.identities);
      };
  }
  return findTestLeak(
    stream(test),
    CANDIDATES.map((split, i) => ({ split, identities: stream(sets[i]!) })),
  );
}

/**
 * Refuses a move of a quarantined alias onto a manifest that trains or validates on a row of
 * its current target's test split (docs/SPLIT-SPEC.md §8.7) unless `allow`; answers what the
 * move's audit entry records. A move that can't be checked is never passed silently.
 */
export async function guardTestLeak(
  leakage: LeakageReader | undefined,
  alias: AliasRecord | undefined,
  to: string,
  allow: boolean | undefined,
  budget = WHOLE_SETS_BUDGET_BYTES,
): Promise<{ testLeak?: { checked: boolean; count?: number; allowed?: true } }> {
  if (!alias?.quarantine || alias.manifestId === to) return {};
  const leak = await testLeak(leakage, alias.manifestId, to, budget);
  const checked = typeof leak === 'string' ? { checked: false } : { checked: true, count: leak.count };
  if (checked.count === 0) return { testLeak: checked };
  if (allow) return { testLeak: { ...checked, allowed: true } };
  if (typeof leak === 'string') {
    throw new ConflictError('ALIAS.LEAK_UNCHECKED', `quarantined alias: move not checkable (${leak})`);
  }
  throw new ConflictError('ALIAS.TEST_LEAK', `quarantined alias: ${leak.count} test row(s) would move`, {
    details: { testLeak: leak },
  });
}
