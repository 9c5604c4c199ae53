// Writes examples/sample.csv: 300 rows of a small, imbalanced three-class problem with a group
// column (customer) and a time column, so every split strategy has something to work on.
// A fixed seed makes the file byte-identical on every run; the committed copy is its output.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Mulberry32: a tiny, well-known 32-bit PRNG; enough for sample data, not for the product.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20240601);
const labels = ['cat', 'dog', 'bird'];
const weights = [0.6, 0.3, 0.1];
const lines = ['id,customer,observed_at,weight_kg,height_cm,indoor,label'];
const start = Date.UTC(2024, 0, 1);
for (let i = 0; i < 300; i++) {
  const r = random();
  const index = r < weights[0] ? 0 : r < weights[0] + weights[1] ? 1 : 2;
  const base = [4.5, 22, 0.4][index];
  const weight = (base * (0.7 + 0.6 * random())).toFixed(2);
  const height = ([25, 55, 15][index] * (0.8 + 0.4 * random())).toFixed(1);
  const customer = `c${String(Math.floor(random() * 40)).padStart(3, '0')}`;
  const observed = new Date(start + i * 3_600_000 * 7 + Math.floor(random() * 3_600_000)).toISOString();
  const indoor = random() < 0.5 ? 'true' : 'false';
  lines.push([i + 1, customer, observed, weight, height, indoor, labels[index]].join(','));
}
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sample.csv'), `${lines.join('\n')}\n`);
