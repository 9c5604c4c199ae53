import { describe, expect, it } from 'vitest';
import { UsageError } from '../../functions/cli/cli-error.js';
import { parseTarget } from '../../functions/cli/commands/resolve-target.js';

describe('parseTarget', () => {
  const id = 'a'.repeat(64);
  it.each([
    [id, { kind: 'manifest', id }],
    ['a88c6746', { kind: 'prefix', prefix: 'a88c6746' }],
    ['a'.repeat(63), { kind: 'prefix', prefix: 'a'.repeat(63) }],
    ['a88c674', { kind: 'alias', name: 'a88c674' }],
    ['prod', { kind: 'alias', name: 'prod' }],
    ['sample.csv@v1', { kind: 'label', dataset: 'sample.csv', version: 'v1' }],
    ['me@corp.csv@2026-01', { kind: 'label', dataset: 'me@corp.csv', version: '2026-01' }],
  ])('reads %s as %o', (text, target) => {
    expect(parseTarget(text)).toEqual(target);
  });

  it.each(['Prod', '@v1', 'sample.csv@', ''])('refuses %j with a usage error (exit 2)', (text) => {
    expect(() => parseTarget(text)).toThrow(UsageError);
  });
});
