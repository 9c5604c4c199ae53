/**
 * After a load run: every accepted write is visible, each alias history is gap-free and ends
 * at the alias, and each move has exactly one audit entry saying the same thing.
 */
import { TOKENS } from '../reliability/support/tokens.js';
import type { LoadReport } from './load-runner.js';

// biome-ignore lint/suspicious/noExplicitAny: listings are checked field by field
async function getJson(url: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${TOKENS.reader}` } });
  return { status: response.status, json: await response.json() };
}

// biome-ignore lint/suspicious/noExplicitAny: see above
async function readAll(base: string, path: string): Promise<any[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const answer = await getJson(
      `${base}${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
    items.push(...answer.json.items);
    cursor = answer.json.cursor;
    if (!cursor) break;
  }
  return items;
}

export async function checkAfterLoad(base: string, report: LoadReport): Promise<string[]> {
  const broken = [...report.errors];
  for (const id of report.manifests) {
    const read = await getJson(`${base}/v1/splits/${id}`);
    if (read.status !== 200) broken.push(`accepted manifest ${id} reads as ${read.status}`);
  }
  for (const alias of report.aliases) {
    const current = (await getJson(`${base}/v1/aliases/${alias}`)).json;
    const history = await readAll(base, `/v1/aliases/${alias}/history`);
    const revisions = history.map((move) => move.revision).join(',');
    const expected = Array.from({ length: current.revision }, (_, i) => current.revision - i).join(',');
    if (revisions !== expected)
      broken.push(`alias ${alias} history ${revisions.slice(0, 80)} is not ${expected.slice(0, 80)}`);
    if (history[0]?.manifestId !== current.manifestId)
      broken.push(`alias ${alias} disagrees with its latest move`);
    const byRevision = new Map(history.map((move) => [move.revision, move.manifestId]));
    for (const move of report.aliasMoves.filter((m) => m.alias === alias)) {
      if (byRevision.get(move.revision) !== move.manifestId) {
        broken.push(`accepted move ${alias}@${move.revision} -> ${move.manifestId} is not in the history`);
      }
    }
    const accepted = report.aliasMoves.filter((m) => m.alias === alias).length;
    if (accepted !== history.length)
      broken.push(`alias ${alias}: ${accepted} accepted moves, ${history.length} in history`);
    const audit = await readAll(base, `/v1/audit?target=${encodeURIComponent(`alias:${alias}`)}`);
    const audited = new Set(audit.map((e) => `${e.details?.expectedRevision}->${e.details?.manifestId}`));
    if (audit.length !== history.length)
      broken.push(`alias ${alias}: ${history.length} moves, ${audit.length} audit entries`);
    for (const move of history) {
      if (!audited.has(`${move.revision - 1}->${move.manifestId}`))
        broken.push(`alias ${alias}@${move.revision} has no matching audit entry`);
    }
  }
  return broken;
}
