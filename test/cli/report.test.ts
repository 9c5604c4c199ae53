import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../functions/cli/cli-error.js';
import { failureText, toFailure } from '../../functions/cli/report.js';
import { ApiError } from '../../functions/client/index.js';

const conflict = new ApiError({
  type: 'about:blank',
  title: 'Conflict',
  status: 409,
  code: 'ALIAS.REVISION_CONFLICT',
  detail: 'alias prod is at revision 2, not the expected 1',
});

describe('toFailure', () => {
  it.each([
    [new UsageError('CLI.BAD_SPLIT', 'unknown split "dev"'), { code: 'CLI.BAD_SPLIT', exitCode: 2 }],
    [
      new CliError('CLI.CHECKSUM_MISMATCH', 'bad bytes', { detail: 'd' }),
      { code: 'CLI.CHECKSUM_MISMATCH', exitCode: 1, detail: 'd' },
    ],
    [conflict, { code: 'ALIAS.REVISION_CONFLICT', title: 'Conflict', status: 409, exitCode: 1 }],
    [
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
      { code: 'CLI.UNREACHABLE', exitCode: 1 },
    ],
    [new Error('boom'), { code: 'CLI.UNEXPECTED', title: 'boom', exitCode: 1 }],
  ])('maps %o to %o', (error, expected) => {
    expect(toFailure(error)).toMatchObject(expected);
  });

  it('prints the problem title, detail and code on stderr', () => {
    expect(failureText(toFailure(conflict))).toBe(
      'error: Conflict\n  alias prod is at revision 2, not the expected 1 [ALIAS.REVISION_CONFLICT]\n',
    );
  });
});

describe('a refused move of a quarantined alias', () => {
  const leak = (count: number) =>
    new ApiError({
      type: 'urn:splitvault:problem:ALIAS.TEST_LEAK',
      title: 'Conflict',
      status: 409,
      code: 'ALIAS.TEST_LEAK',
      detail: 'moving it would put rows of its current test split into train or validation',
      testLeak: {
        count,
        examples: [
          { identity: 'ab'.repeat(32), split: 'train' },
          { identity: 'cd'.repeat(32), split: 'validation' },
        ],
      },
    });

  it('names each leaked row and its split after the detail, and keeps them whole under --json', () => {
    const report = toFailure(leak(2));
    expect(failureText(report)).toBe(
      `error: Conflict\n  moving it would put rows of its current test split into train or validation; ${'ab'.repeat(32)} (train), ${'cd'.repeat(32)} (validation) [ALIAS.TEST_LEAK]\n`,
    );
    expect(report.testLeak?.count).toBe(2);
  });

  it('says the rows listed are only the first ones when the count is larger', () => {
    expect(toFailure(leak(57)).detail).toContain('; the first 2: ');
  });
});

describe('ApiError.fromResponse', () => {
  it.each([
    [
      JSON.stringify({ type: 'x', title: 'Not Found', status: 404, code: 'SPLIT.NOT_FOUND' }),
      404,
      'SPLIT.NOT_FOUND',
    ],
    ['<html>bad gateway</html>', 502, 'HTTP.502'],
  ])('reads %s (HTTP %d) as code %s', async (body, status, code) => {
    const error = await ApiError.fromResponse(new Response(body, { status }));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });
});
