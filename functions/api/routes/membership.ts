import { type Context, Hono } from 'hono';
import { SplitParam } from '../../../schemas/api.js';
import type { SplitName } from '../../../schemas/common.js';
import type { SplitIdentities } from '../../../schemas/leakage.js';
import { MembershipQuery } from '../../../schemas/membership.js';
import { IntegrityError, NotFoundError } from '../../core/errors.js';
import { merkleTree, proveMembership } from '../../core/leakage/merkle.js';
import type { LeakageReader } from '../../core/leakage/ports.js';
import { proofToWire } from '../../core/leakage/proof-wire.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { MerkleTreeCache } from '../merkle-tree-cache.js';
import { readParams, readQuery } from '../request.js';
import { resolveManifestRef } from '../resolve-id.js';
import { mustGetManifest } from './splits.js';

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/**
 * A split's recorded identities (docs/SPLIT-SPEC.md §8.6): what its freeze stored for the
 * leakage guard, the (root, size) a verifier trusts. 404 LEAKAGE.NO_IDENTITIES when the freeze
 * recorded none, or this server keeps no leakage records.
 */
async function splitIdentities(
  leakage: LeakageReader | undefined,
  manifestId: string,
  split: SplitName,
): Promise<{ leakage: LeakageReader; recorded: SplitIdentities }> {
  const recorded = await leakage?.splitIdentities(manifestId, split);
  if (leakage && recorded) return { leakage, recorded };
  throw new NotFoundError(
    'LEAKAGE.NO_IDENTITIES',
    `no row identities were recorded for ${split} of ${manifestId}`,
    { details: { manifestId, split } },
  );
}

/** GET …/identities and …/membership?row= under /v1/splits/{id}/{split}. */
export function membershipRoutes(deps: AppDeps): Hono<AppEnv> {
  const trees = new MerkleTreeCache();
  const treeOf = (leakage: LeakageReader, recorded: SplitIdentities) =>
    trees.get(recorded.identities, async () => {
      const tree = merkleTree(await leakage.identitySet(recorded.identities));
      // The set's bytes match its address; the root it gives must be the one recorded beside it.
      if (hex(tree.root) !== recorded.merkleRoot || tree.size !== recorded.distinct) {
        throw new IntegrityError(`identity set ${recorded.identities} does not give its recorded root`);
      }
      return tree;
    });

  const target = async (c: Context<AppEnv>) => {
    const { id, split } = readParams(c, SplitParam);
    const manifestId = await resolveManifestRef(deps, id);
    await mustGetManifest(deps.lineage, manifestId);
    return { manifestId, split, ...(await splitIdentities(deps.leakage, manifestId, split)) };
  };

  return new Hono<AppEnv>()
    .get('/:id/:split/identities', async (c) => c.json((await target(c)).recorded))
    .get('/:id/:split/membership', async (c) => {
      const { row } = readQuery(c, MembershipQuery);
      const { manifestId, split, leakage, recorded } = await target(c);
      const tree = await treeOf(leakage, recorded);
      const proof = proofToWire(proveMembership(tree, Buffer.from(row, 'hex')));
      return c.json({ manifestId, split, row, root: recorded.merkleRoot, ...proof });
    });
}
