import { defineConfig } from 'vitest/config';

// CI asks for a JSON report too, to print the real pass/fail counts as its last line.
const jsonReport = process.env.SPLITVAULT_VITEST_JSON;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    allowOnly: false,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
