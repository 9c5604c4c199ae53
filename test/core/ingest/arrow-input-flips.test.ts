import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../../functions/core/errors.js';
import { ingest } from '../../../functions/core/ingest/index.js';
import { arrowInput } from '../../fixtures/arrow-patch.js';

const MiB = 2 ** 20;

describe('single-byte corruption of compressed, view and nested Arrow inputs', () => {
  it.each(['flat-lz4.arrows', 'flat-zstd.feather', 'flat-polars.arrow', 'nested-lz4.arrows'])(
    'answers every single-byte flip of %s with a coded error or a table, never a raw error',
    async (name) => {
      const good = arrowInput(name);
      const outcomes = new Map<string, number>();
      for (let at = 0; at < good.length; at++) {
        const bytes = good.slice();
        bytes[at]! ^= 0xff;
        const outcome = await ingest(bytes, { maxDecodedBytes: 4 * MiB }).then(
          () => 'read',
          (error: unknown) => {
            expect(error).toBeInstanceOf(SplitvaultError);
            return (error as SplitvaultError).code;
          },
        );
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      expect(outcomes.get('ARROW.CORRUPT')).toBeGreaterThan(0);
    },
    120_000,
  );
});
