import { describe, expect, it } from 'vitest';
import { DatasetFormat, SpecRequest } from '../../../schemas/spec.js';

const base = { strategy: 'random', seed: 1, ratios: { train: 0.8, validation: 0.1, test: 0.1 } };

describe('the json format in a split request', () => {
  it('is a dataset format between jsonl and parquet', () => {
    expect(DatasetFormat.options).toEqual(['csv', 'jsonl', 'json', 'parquet', 'arrow', 'arrow-stream']);
  });

  it('accepts an explicit schema, as csv and jsonl do', () => {
    const spec = SpecRequest.parse({ ...base, format: 'json', schema: { id: 'int64' } });
    expect(spec).toMatchObject({ format: 'json', schema: { id: 'int64' } });
  });

  it('refuses a delimiter as a field the json format would ignore', () => {
    const result = SpecRequest.safeParse({ ...base, format: 'json', delimiter: ';' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['delimiter'],
        message: 'format "json" has no delimiter; leave delimiter out',
      }),
    ]);
  });
});
