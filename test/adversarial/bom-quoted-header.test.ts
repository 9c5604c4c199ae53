import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { freezeSharded } from '../../functions/core/shard/sharded-freeze.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import type { SplitName } from '../../schemas/common.js';
import { SpecRequest } from '../../schemas/spec.js';

/**
 * A CSV that starts with a BOM and whose first header cell is quoted around a line break (as
 * spreadsheet exports write a long column title). The one-process engine drops the BOM and
 * reads the header; the sharded engine's cutting pass walks the header from byte 0, BOM
 * included, so the quote no longer opens the cell, the quoted LF ends the "header", and the
 * freeze is refused with CSV.UNTERMINATED_QUOTE at every shard size. The same walk takes a
 * BOM followed by an empty CRLF line (skipped by §1.3) for the header: DATASET.EMPTY.
 */

const spec = SpecRequest.parse({
  strategy: 'random',
  seed: 1,
  ratios: { train: 0.5, validation: 0.25, test: 0.25 },
  format: 'csv',
});

describe('a CSV with a BOM and a line break in a quoted header cell', () => {
  it.each([
    ['LF', '\uFEFF"first\nname",age\nada,36\nalan,41\ngrace,85\nkatherine,101\n'],
    ['CRLF', '\uFEFF"first\r\nname",age\r\nada,36\r\nalan,41\r\ngrace,85\r\nkatherine,101\r\n'],
    // The same walk from byte 0: after a BOM, an empty CRLF line before the header is not empty.
    [
      'an empty CRLF line before the header',
      '\uFEFF\r\nname,age\r\nada,36\r\nalan,41\r\ngrace,85\r\nkatherine,101\r\n',
    ],
  ])('freezes in shards to the one-process manifest and files (%s)', async (_, text) => {
    const csv = new TextEncoder().encode(text);
    const dataset = { sha256: sha256Hex(csv), bytes: csv.byteLength };
    const whole = await splitDataset(csv, dataset, spec);
    expect(whole.manifest.dataset.rows).toBe(4);
    for (const target of [1, 16, 1 << 20]) {
      const chunks: Record<SplitName, Uint8Array[]> = { train: [], validation: [], test: [] };
      const manifest = await freezeSharded(
        { sizes: [csv.byteLength], readRange: async (_file, start, end) => csv.slice(start, end) },
        dataset,
        spec,
        { write: async (split, chunk) => void chunks[split].push(chunk.slice()) },
        { targetShardBytes: target },
      );
      expect(manifest).toEqual(whole.manifest);
      for (const split of ['train', 'validation', 'test'] as const) {
        expect(sha256Hex(Buffer.concat(chunks[split]))).toBe(whole.manifest.splits[split].sha256);
      }
    }
  });
});
