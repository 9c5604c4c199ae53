import { describe, expect, it } from 'vitest';
import { environmentSummary } from '../../functions/cli/commands/environment-summary.js';

describe('the environment cell of show', () => {
  it.each([
    [undefined, ''],
    [{}, ''],
    [
      { client: 'splitvault-python', python: '3.11.7', git: { commit: 'a'.repeat(40), dirty: true } },
      `python 3.11.7, git ${'a'.repeat(12)}+dirty`,
    ],
    [
      { client: 'splitvault-cli', node: 'v20.19.0', git: { commit: 'b'.repeat(40), dirty: false } },
      `node 20.19.0, git ${'b'.repeat(12)}`,
    ],
    [{ client: 'some-script' }, 'some-script'],
    [{ python: 3, git: 'not an object' }, ''],
  ])('summarises %j as %j', (environment, expected) => {
    expect(environmentSummary(environment as Record<string, unknown> | undefined)).toBe(expected);
  });
});
