import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../../functions/core/errors.js';
import { ingest } from '../../../functions/core/ingest/index.js';

const input = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../adversarial/inputs/${name}`, import.meta.url)));

const refusal = (source: Uint8Array) =>
  ingest(source).then(
    () => undefined,
    (error: unknown) =>
      error instanceof SplitvaultError ? { code: error.code, message: error.message } : error,
  );

describe('datasets that name one column twice', () => {
  it.each(['two-columns-named-id.arrows', 'two-columns-named-id.parquet'])(
    'refuses %s as DATASET.DUPLICATE_COLUMN, naming the column',
    async (name) => {
      expect(await refusal(input(name))).toEqual({
        code: 'DATASET.DUPLICATE_COLUMN',
        message: 'the dataset names column "id" more than once; column names must be unique',
      });
    },
  );
});
