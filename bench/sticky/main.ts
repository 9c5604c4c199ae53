/**
 * Sticky re-freeze cost: a parent of N rows (id, label, group, order value) is frozen, then a
 * child grown by 20 % and shrunk by 5 % is frozen plainly and sticky to it (whole-row and by the
 * group column). Prints wall time of each freeze and the peak RSS of the process as JSON.
 *   npx tsx bench/sticky/main.ts [rows=1000000]
 */
import { sha256Hex } from '../../functions/core/hash.js';
import { stickyParentOf } from '../../functions/core/leakage/sticky-identities.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest } from '../../schemas/spec.js';

const n = Number(process.argv[2] ?? 1_000_000);
let s = 12345;
const rand = () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s / 4294967296;
};
const row = (id: number) =>
  `${id},${'abc'[Math.floor(rand() * 3)]},${Math.floor(rand() * (n / 20))},${Math.floor(rand() * 1e6)}`;
const parentRows = Array.from({ length: n }, (_, i) => row(i));
const childRows = parentRows.filter(() => rand() >= 0.05);
for (let i = 0; i < n * 0.2; i++) childRows.splice(Math.floor(rand() * childRows.length), 0, row(n + i));
const csv = (rows: string[]) => new TextEncoder().encode(`id,label,g,t\n${rows.join('\n')}\n`);
const spec = SpecRequest.parse({
  strategy: 'group',
  groupBy: 'g',
  seed: 1,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: 'csv',
});
const freeze = (bytes: Uint8Array, sticky?: Parameters<typeof splitDataset>[3]) =>
  splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.byteLength }, spec, sticky ?? {});
const timed = async <T>(f: () => Promise<T>) => {
  const t = performance.now();
  const value = await f();
  return { value, ms: Math.round(performance.now() - t) };
};

const parent = await freeze(csv(parentRows));
const child = csv(childRows);
const plain = await timed(() => freeze(child));
const out: Record<string, unknown> = { rows: n, childRows: childRows.length, plainMs: plain.ms };
for (const by of [undefined, 'g']) {
  const ids = await timed(() => stickyParentOf(parent.manifest.id, parent.artifacts, by));
  const frozen = await timed(() => freeze(child, { sticky: ids.value }));
  out[by ? 'byGroup' : 'wholeRow'] = {
    parentIdentitiesMs: ids.ms,
    stickyFreezeMs: frozen.ms,
    kept: frozen.value.manifest.sticky?.kept,
  };
}
out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
