// Fails when a test is focused or skipped, including forms Biome's rules can miss
// (it.each(...).only, describe.skipIf, test.todo).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const banned =
  /\b(?:it|test|describe|bench)(?:\.each\([^)]*\))?\.(?:only|skip|skipIf|runIf|todo|fails)\b|\bx(?:it|describe)\(|\bf(?:it|describe)\(/;
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.test\.(ts|mts|js)$/.test(name)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (banned.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
        });
    }
  }
}
walk('test');
if (offenders.length > 0) {
  console.error(`focused or skipped tests are not allowed:\n${offenders.join('\n')}`);
  process.exit(1);
}
