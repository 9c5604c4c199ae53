import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import { IntegrityError, NotFoundError } from '../core/errors.js';
import type { StickyParent } from '../core/leakage/sticky.js';
import { stickyParentOf } from '../core/leakage/sticky-identities.js';
import type { JobDeps } from './job-deps.js';
import { readBlob } from './read-blob.js';

/**
 * What a sticky re-freeze keeps rows from: the parent manifest's three split files, each read
 * whole and checked against its address, and their rows' identities computed by the same core
 * code as the new dataset's. Reading the split files (not a stored identity set) works for
 * every parent, including those frozen before the leakage guard stored anything.
 */
export async function loadStickyParent(
  deps: Pick<JobDeps, 'blobs' | 'lineage'>,
  manifestId: string,
  by: string | undefined,
): Promise<StickyParent> {
  const manifest = await deps.lineage.getManifest(manifestId);
  if (!manifest) {
    throw new NotFoundError('STICKY.UNKNOWN_PARENT', `sticky parent ${manifestId} is not a known split`, {
      details: { stickyTo: manifestId },
    });
  }
  const files: Partial<Record<SplitName, Uint8Array>> = {};
  for (const name of SPLIT_NAMES) {
    const { sha256 } = manifest.splits[name];
    const read = await readBlob(deps.blobs, 'artifact', sha256);
    if (read.sha256 !== sha256)
      throw new IntegrityError(`stored artifact ${sha256} hashes to ${read.sha256}`);
    files[name] = read.bytes;
  }
  return stickyParentOf(manifestId, files as Record<SplitName, Uint8Array>, by);
}
