/**
 * What must hold after any fault, read through the unwrapped stores: manifests name only
 * intact artifacts, aliases name only stored manifests, and each alias agrees with its
 * gap-free history and with the audit log written in the same transaction.
 */

import { rehashBlob } from '../../../functions/jobs/read-blob.js';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { Stores } from './harness.js';

async function all<T>(
  read: (cursor?: string) => Promise<{ items: readonly T[]; cursor?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

/** Returns a list of broken invariants; empty means consistent. */
export async function checkInvariants(stores: Stores, datasets: readonly string[]): Promise<string[]> {
  const broken: string[] = [];
  const { blobs, lineage } = stores;
  for (const dataset of datasets) {
    const ids = await all((cursor) =>
      lineage.listManifestsByDataset(dataset, { limit: 100, ...(cursor ? { cursor } : {}) }),
    );
    for (const id of ids) {
      const manifest = await lineage.getManifest(id);
      if (!manifest) {
        broken.push(`dataset ${dataset} lists manifest ${id} that can't be read`);
        continue;
      }
      for (const split of SPLIT_NAMES) {
        const { sha256, bytes } = manifest.splits[split];
        const info = await blobs.head('artifact', sha256);
        if (!info) broken.push(`manifest ${id} names missing ${split} artifact ${sha256}`);
        else if (info.bytes !== bytes)
          broken.push(`manifest ${id} ${split}: ${info.bytes} bytes stored, ${bytes} expected`);
        else if ((await rehashBlob(blobs, 'artifact', sha256)) !== sha256)
          broken.push(`artifact ${sha256} has other bytes`);
      }
    }
  }
  const aliases = await all((cursor) => lineage.listAliases({ limit: 100, ...(cursor ? { cursor } : {}) }));
  for (const alias of aliases) {
    if (!(await lineage.getManifest(alias.manifestId)))
      broken.push(`alias ${alias.name} names missing manifest ${alias.manifestId}`);
    const history = await all((cursor) =>
      lineage.aliasHistory(alias.name, { limit: 100, ...(cursor ? { cursor } : {}) }),
    );
    const revisions = history.map((move) => move.revision);
    const expected = Array.from({ length: alias.revision }, (_, i) => alias.revision - i);
    if (JSON.stringify(revisions) !== JSON.stringify(expected)) {
      broken.push(
        `alias ${alias.name} at revision ${alias.revision} has history revisions ${revisions.join(',')}`,
      );
    }
    if (history[0]?.manifestId !== alias.manifestId)
      broken.push(`alias ${alias.name} disagrees with its latest history move`);
    const audit = await all((cursor) =>
      lineage.listAudit({ target: `alias:${alias.name}` }, { limit: 100, ...(cursor ? { cursor } : {}) }),
    );
    if (audit.length !== history.length) {
      broken.push(`alias ${alias.name}: ${history.length} history moves but ${audit.length} audit entries`);
    }
  }
  return broken;
}
