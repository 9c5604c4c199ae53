import { describe, expect, it } from 'vitest';
import { bundledInputs } from './support/bundled-inputs.js';

describe('what each Lambda bundles', () => {
  it('keeps the engine, Arrow and the parsers out of the API function', async () => {
    const inputs = await bundledInputs('functions/handlers/lambda.ts');
    expect(inputs).toContain('functions/api/app-base.ts');
    expect(
      inputs.filter((path) =>
        /apache-arrow|parquet|hyparquet|functions\/core\/(split-dataset|ingest)/.test(path),
      ),
    ).toEqual([]);
  });

  it('leaves the API viewer and its assets out of the API function', async () => {
    const inputs = await bundledInputs('functions/handlers/lambda.ts');
    expect(inputs.filter((path) => /swagger|docs-viewer/.test(path))).toEqual([]);
  });

  it('puts the engine in the worker function', async () => {
    const inputs = await bundledInputs('functions/handlers/worker.ts');
    expect(inputs).toContain('functions/core/split-dataset.ts');
  });
});
