import { call } from './call.js';
import type { Harness } from './harness.js';

/**
 * Everything a client can list, read in full. Two equal snapshots mean a request changed
 * nothing a client could see (aliases, their histories, the audit log, manifests per dataset).
 */
export async function snapshot(h: Harness, datasets: readonly string[]): Promise<Record<string, unknown>> {
  const aliases = await readAll(h, '/v1/aliases');
  const histories: Record<string, unknown> = {};
  for (const alias of aliases as { name: string }[]) {
    histories[alias.name] = await readAll(h, `/v1/aliases/${alias.name}/history`);
  }
  const manifests: Record<string, unknown> = {};
  for (const sha of datasets) manifests[sha] = await readAll(h, `/v1/datasets/${sha}/splits`);
  return { aliases, histories, audit: await readAll(h, '/v1/audit'), manifests };
}

/** Follows cursors to the end of a listing. */
export async function readAll(h: Harness, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const answer = await call(h, 'GET', `${path}?${query}`);
    if (answer.status !== 200)
      throw new Error(`GET ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
    items.push(...answer.json.items);
    cursor = answer.json.cursor;
    if (!cursor) return items;
  }
  throw new Error(`${path} has more than 1000 pages`);
}
