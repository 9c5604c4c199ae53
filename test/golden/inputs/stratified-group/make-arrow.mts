// Writes subjects.arrow, the Arrow input of test/golden/stratified-group.test.ts. Run once with
// `npx tsx test/golden/inputs/stratified-group/make-arrow.mts`; the committed bytes are the vector.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dictionary, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';

const labels = ['cat', 'dog', 'emu', null] as const;
const subject: number[] = [];
const label: (string | null)[] = [];
const weight: number[] = [];
for (let i = 0; i < 48; i++) {
  const s = (i * 7) % 13; // 13 subjects of 3 or 4 rows
  subject.push(s - 6); // negative keys too: i-6 … i6
  label.push(labels[(s + (i % 3 === 0 ? 1 : 0) + (i % 11 === 0 ? 2 : 0)) % 4]!);
  weight.push(i / 4);
}
const table = new Table({
  subject: vectorFromArray(subject, new Int32()),
  label: vectorFromArray(label, new Dictionary(new Utf8(), new Int32())),
  weight: vectorFromArray(weight, new Float64()),
});
writeFileSync(join(import.meta.dirname, 'subjects.arrow'), tableToIPC(table, 'file'));
