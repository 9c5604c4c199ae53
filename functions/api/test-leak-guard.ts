import type { AliasRecord } from '../../schemas/records.js';
import { ConflictError } from '../core/errors.js';
import type { LeakageReader } from '../core/leakage/ports.js';
import { findTestLeak, type LeakSplit, type TestLeak } from '../core/leakage/test-leak.js';

const CANDIDATES: readonly LeakSplit[] = ['train', 'validation'];

/**
 * Former test rows of `from` in the train and validation splits of `to`, from the identity
 * sets stored at freeze time; undefined when either manifest has none to compare.
 */
async function testLeak(leakage: LeakageReader | undefined, from: string, to: string) {
  const test = await leakage?.splitIdentities(from, 'test');
  const sets = await Promise.all(CANDIDATES.map((split) => leakage?.splitIdentities(to, split)));
  if (!leakage || !test || sets.some((set) => set === undefined)) return undefined;
  // The test set is read once and held; each candidate set is read only while it is merged.
  const testIds = test.distinct === 0 ? new Uint8Array(0) : await leakage.identitySet(test.identities);
  return findTestLeak(
    async function* () {
      yield testIds;
    },
    CANDIDATES.map((split, i) => ({
      split,
      identities: async function* () {
        if (testIds.length > 0 && sets[i]!.distinct > 0) yield await leakage.identitySet(sets[i]!.identities);
      },
    })),
  );
}

/**
 * Refuses a move of a quarantined alias onto a manifest that trains or validates on a row of
 * its current target's test split (docs/SPLIT-SPEC.md §8.7) unless `allow`; answers what the
 * move's audit entry records. A manifest without stored identities is never passed silently.
 */
export async function guardTestLeak(
  leakage: LeakageReader | undefined,
  alias: AliasRecord | undefined,
  to: string,
  allow: boolean | undefined,
): Promise<{ testLeak?: { checked: boolean; count?: number; allowed?: true } }> {
  if (!alias?.quarantine || alias.manifestId === to) return {};
  const leak: TestLeak | undefined = await testLeak(leakage, alias.manifestId, to);
  const checked = leak === undefined ? { checked: false } : { checked: true, count: leak.count };
  if (leak?.count === 0) return { testLeak: checked };
  if (allow) return { testLeak: { ...checked, allowed: true } };
  const what = `alias ${alias.name} is quarantined: moving it from ${alias.manifestId} to ${to}`;
  if (!leak) {
    throw new ConflictError(
      'ALIAS.LEAK_UNCHECKED',
      `${what} can't be checked for test leaks, since one of them has no stored row identities; allowTestLeak with a reason moves it anyway`,
    );
  }
  throw new ConflictError(
    'ALIAS.TEST_LEAK',
    `${what} would put ${leak.count} row(s) of its current test split into train or validation`,
    { details: { testLeak: leak } },
  );
}
