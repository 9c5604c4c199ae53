import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexDump, specVectorFile } from './spec-vector.js';

describe('the nested and dictionary test vector of SPLIT-SPEC.md', () => {
  it('is byte for byte the file the encoder writes', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/SPLIT-SPEC.md'), 'utf8');
    const start = doc.indexOf('<!-- nested-vector:start -->');
    const end = doc.indexOf('<!-- nested-vector:end -->');
    expect(start).toBeGreaterThan(0);
    const block = doc.slice(start, end).split('```')[1]!.trim();
    expect(block).toBe(hexDump(specVectorFile()));
  });
});
