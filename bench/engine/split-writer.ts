/**
 * `npx tsx bench/engine/split-writer.ts [ROWS]`: the split-file writer against encodeSplit on
 * one split of ROWS rows (default 2,000,000; every 5th row left out, as a split would), written
 * whole, from shards through SplitFileWriter, and from shard parts through the combine. Prints
 * a markdown table: median wall time of 3 runs, the most rows the writer held, and whether the
 * bytes equal encodeSplit's. A speed note, not a test: nothing here asserts a time.
 */
import { Bool, Data, makeData, Table, Utf8, Vector, vectorFromArray } from 'apache-arrow';
import { encodeSplit } from '../../functions/core/arrow/encode.js';
import { type FlatColumn, flattenTable } from '../../functions/core/arrow/flat-column.js';
import { encodeSplitPart, SplitPartsCombiner } from '../../functions/core/arrow/split-parts.js';
import { SplitFileWriter } from '../../functions/core/arrow/split-writer.js';
import { sha256Hex, sha256Stream } from '../../functions/core/hash.js';

const rows = Number(process.argv[2] ?? 2_000_000);

function table(n: number): Table {
  let seed = 1;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  const bitmap = () => Uint8Array.from({ length: (n + 7) >> 3 }, () => (rand() < 0.1 ? 0xef : 0xff));
  const withNulls = (d: Data) => {
    const b = bitmap();
    const nulls = n - b.reduce((s, x) => s + (x === 0xff ? 8 : 7), 0) + (8 * b.length - n);
    return new Data(d.type, 0, n, nulls, [d.valueOffsets, d.values, b, undefined] as never, d.children);
  };
  const id = vectorFromArray(Int32Array.from({ length: n }, (_, i) => i));
  const score = vectorFromArray(Float64Array.from({ length: n }, rand));
  const text = vectorFromArray(
    Array.from({ length: n }, (_, i) => `row ${i} of the bench`),
    new Utf8(),
  );
  const flag = makeData({ type: new Bool(), length: n, data: bitmap() });
  return new Table({
    id,
    score: new Vector([withNulls(score.data[0]!)]),
    text: new Vector([withNulls(text.data[0]!)]),
    flag: new Vector([withNulls(flag)]),
  });
}

const t = table(rows);
const picks = Uint32Array.from({ length: rows }, (_, i) => i).filter((i) => i % 5 !== 4);

interface Shard {
  readonly columns: FlatColumn[];
  readonly rows: Uint32Array;
}
function shards(count: number): Shard[] {
  const per = Math.ceil(rows / count);
  return Array.from({ length: count }, (_, s) => {
    const from = s * per;
    const to = Math.min(from + per, rows);
    const local = picks.filter((r) => r >= from && r < to).map((r) => r - from);
    return { columns: flattenTable(t.slice(from, to)), rows: local };
  });
}

function median(run: () => { hex: string; held: number }): { ms: number; hex: string; held: number } {
  const times: number[] = [];
  let last = { hex: '', held: 0 };
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    last = run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[1]!, ...last };
}

const whole = flattenTable(t);
const reference = median(() => ({ hex: sha256Hex(encodeSplit(t.schema, whole, picks)), held: 0 }));
const lines = [
  `| ${rows.toLocaleString('en')} rows, one split of ${picks.length.toLocaleString('en')} | median wall | most rows held | bytes equal |`,
  '| --- | --- | --- | --- |',
  `| encodeSplit + sha256Hex | ${reference.ms.toFixed(0)} ms | all | — |`,
];
for (const count of [1, 8, 64]) {
  const parts = shards(count);
  const r = median(() => {
    const writer = new SplitFileWriter(t.schema);
    const hash = sha256Stream();
    let held = 0;
    for (const p of parts) {
      for (const chunk of writer.append(p.columns, p.rows)) hash.update(chunk);
      held = Math.max(held, writer.pendingRows);
    }
    for (const chunk of writer.finish()) hash.update(chunk);
    return { hex: hash.hex(), held };
  });
  lines.push(
    `| SplitFileWriter, ${count} shards | ${r.ms.toFixed(0)} ms | ${r.held} | ${r.hex === reference.hex} |`,
  );
}
for (const count of [8, 64]) {
  const parts = shards(count);
  const r = median(() => {
    let startOf = 0;
    const encoded = parts.map((p) => {
      const part = encodeSplitPart(t.schema, p.columns, p.rows, startOf);
      startOf += p.rows.length;
      return part;
    });
    const combiner = new SplitPartsCombiner(t.schema);
    const hash = sha256Stream();
    let held = 0;
    for (const part of encoded) {
      for (const chunk of combiner.add(part)) hash.update(chunk);
      held = Math.max(held, combiner.pendingRows);
    }
    for (const chunk of combiner.finish()) hash.update(chunk);
    return { hex: hash.hex(), held };
  });
  lines.push(
    `| encodeSplitPart × ${count} then combine (one process) | ${r.ms.toFixed(0)} ms | ${r.held} | ${r.hex === reference.hex} |`,
  );
}
console.log(lines.join('\n'));
