import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { guardTestLeak } from '../../functions/api/test-leak-guard.js';
import { IntegrityError } from '../../functions/core/errors.js';
import { sortedDistinct } from '../../functions/core/leakage/merkle.js';
import type { LeakageReader } from '../../functions/core/leakage/ports.js';
import type { SplitName } from '../../schemas/common.js';
import type { AliasRecord } from '../../schemas/records.js';

const FROM = 'f'.repeat(64);
const TO = 'e'.repeat(64);
const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Identity sets by address, and per manifest and split the address of its set. */
function reader(
  sets: Record<string, Partial<Record<SplitName, Uint8Array>>>,
  options: { stream?: boolean; damage?: string } = {},
) {
  const blobs = new Map<string, Uint8Array>();
  const index = new Map<string, string>();
  for (const [manifest, splits] of Object.entries(sets)) {
    for (const [split, set] of Object.entries(splits)) {
      blobs.set(hex(set), set);
      index.set(`${manifest}/${split}`, hex(set));
    }
  }
  const wholeReads: string[] = [];
  const leakage: LeakageReader = {
    async splitIdentities(manifestId, split) {
      const address = index.get(`${manifestId}/${split}`);
      if (!address) return undefined;
      const rows = blobs.get(address)!.length / 32;
      return { sha256: address, rows, distinct: rows, merkleRoot: address, identities: address };
    },
    async identitySet(address) {
      wholeReads.push(address);
      return blobs.get(address)!;
    },
    ...(options.stream
      ? {
          async *openIdentitySet(address: string) {
            const set = blobs.get(address)!;
            const served = Buffer.from(set);
            // The last byte of the last identity: order holds, only the hash can tell.
            if (address === options.damage) served[served.length - 1]! ^= 0xff;
            for (let at = 0; at < served.length; at += 100) yield served.subarray(at, at + 100);
            // As a blob store would: the hash is known only once the last byte is read.
            if (hex(served) !== address) throw new IntegrityError(`identity set ${address} is damaged`);
          },
        }
      : {}),
  };
  return { leakage, wholeReads };
}

const ids = (n: number) => sortedDistinct(randomBytes(n * 32));
const alias: AliasRecord = {
  name: 'prod',
  manifestId: FROM,
  revision: 3,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'carol',
  quarantine: true,
};

describe('guardTestLeak', () => {
  const test = ids(40);
  const train = sortedDistinct(Buffer.concat([ids(400), test.subarray(32, 64)]));
  const sets = { [FROM]: { test }, [TO]: { train, validation: ids(40) } };

  it('streams the sets through openIdentitySet when the reader has it, never reading one whole', async () => {
    const { leakage, wholeReads } = reader(sets, { stream: true });
    const refused = guardTestLeak(leakage, alias, TO, undefined, 0);
    await expect(refused).rejects.toMatchObject({
      code: 'ALIAS.TEST_LEAK',
      details: { testLeak: { count: 1 } },
    });
    expect(wholeReads).toEqual([]);
  });

  it('refuses as unchecked a move whose sets exceed the whole-read budget when the reader cannot stream', async () => {
    const { leakage, wholeReads } = reader(sets);
    await expect(guardTestLeak(leakage, alias, TO, undefined, 32 * 439)).rejects.toMatchObject({
      code: 'ALIAS.LEAK_UNCHECKED',
    });
    expect(wholeReads).toEqual([]);
    expect(await guardTestLeak(leakage, alias, TO, true, 32 * 439)).toEqual({
      testLeak: { checked: false, allowed: true },
    });
    expect(await guardTestLeak(leakage, alias, TO, true, 32 * 441)).toEqual({
      testLeak: { checked: true, count: 1, allowed: true },
    });
  });

  it('fails on a damaged streamed set even when the merge needed only its start', async () => {
    // The test set's identities are all below 0x80..., so the merge stops early in train.
    const low = ids(10).map((byte, i) => (i % 32 === 0 ? byte & 0x7f : byte));
    const high = sortedDistinct(Buffer.concat([ids(200), low.subarray(0, 32)]));
    const damaged = { [FROM]: { test: sortedDistinct(low) }, [TO]: { train: high, validation: ids(5) } };
    const { leakage } = reader(damaged, { stream: true, damage: hex(high) });
    await expect(guardTestLeak(leakage, alias, TO, true)).rejects.toMatchObject({ code: 'BLOB.INTEGRITY' });
  });

  it('checks nothing for an alias that is not quarantined, or a move to where it already points', async () => {
    const { leakage, wholeReads } = reader(sets);
    expect(await guardTestLeak(leakage, { ...alias, quarantine: undefined }, TO, undefined)).toEqual({});
    expect(await guardTestLeak(leakage, alias, FROM, undefined)).toEqual({});
    expect(wholeReads).toEqual([]);
  });
});
