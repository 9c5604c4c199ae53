import { describe, expect, it } from 'vitest';
import { bundledInputs } from './support/bundled-inputs.js';

describe("what the freeze state machine's functions bundle", () => {
  it.each(['freeze-coordinator-lambda.ts', 'freeze-shard-lambda.ts'])(
    'bundles %s with the sharded engine and the work area, and without the API app',
    async (entry) => {
      const inputs = await bundledInputs(`functions/handlers/${entry}`);
      expect(inputs).toContain('functions/core/shard/freeze-steps.ts');
      expect(inputs).toContain('functions/adapters/aws/s3-work-area.ts');
      expect(inputs.filter((path) => /functions\/api\/(app|routes)/.test(path))).toEqual([]);
    },
  );
});
