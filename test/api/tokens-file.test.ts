import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/config.js';
import { readTokensFile } from '../../functions/handlers/tokens-file.js';

const SECRET = 'super-secret-token-0123456789';
const GOOD = JSON.stringify({ [SECRET]: { actor: 'ci', roles: ['reader'] } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitvault-tokens-file-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function tokensFile(name: string, text: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

function failure(path: string): string {
  try {
    readTokensFile(path, { warn: () => undefined });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the tokens file to be refused');
}

describe('the tokens file', () => {
  it.each([
    ['a bare word after a token', `{"${SECRET}": oops}`, ''],
    ['a missing comma', `{\n  "${SECRET}": {"actor": "ci" "roles": ["reader"]}\n}`, 'line 2, column 51'],
    ['a trailing comma', `{"${SECRET}": {"actor": "ci",}}`, 'line 1, column 50'],
    ['a cut-off token', `{"${SECRET.slice(0, 12)}`, 'line 1, column 15'],
    ['a token with no braces', SECRET, ''],
  ])('reports %s by its place, without any text of the file', async (name, text, place) => {
    const path = await tokensFile(`${name.replaceAll(' ', '-')}.json`, text);
    const message = failure(path);
    expect(message).toContain(`SPLITVAULT_TOKENS_FILE=${JSON.stringify(path)}: not valid JSON`);
    if (place) expect(message).toContain(place);
    const withoutPath = message.replace(path, '');
    for (let start = 0; start + 4 <= SECRET.length; start++) {
      expect(withoutPath).not.toContain(SECRET.slice(start, start + 4));
    }
    expect(withoutPath).not.toMatch(/oops|actor|roles/);
  });

  it('names the field, never the token, when a grant is wrong', async () => {
    const path = await tokensFile(
      'bad-role.json',
      JSON.stringify({ [SECRET]: { actor: 'ci', roles: ['root'] } }),
    );
    const message = failure(path);
    expect(message).toMatch(/roles\.0: /);
    expect(message).not.toContain(SECRET);
  });

  it.each(['0644', '0640', '0604', '0660'])(
    'warns on stderr when group or others may open it (mode %s)',
    async (octal) => {
      const mode = Number.parseInt(octal, 8);
      const path = await tokensFile(`open-${mode.toString(8)}.json`, GOOD, mode);
      const warnings: string[] = [];
      expect(readTokensFile(path, { warn: (m) => warnings.push(m) })).toEqual({
        [SECRET]: { actor: 'ci', roles: ['reader'] },
      });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`mode ${octal}`);
      expect(warnings[0]).toContain('chmod 600');
      expect(warnings[0]).not.toContain(SECRET);
    },
  );

  it.each(['0600', '0400'])('says nothing about a file only its owner may open (mode %s)', async (octal) => {
    const mode = Number.parseInt(octal, 8);
    const path = await tokensFile(`private-${mode.toString(8)}.json`, GOOD, mode);
    const warnings: string[] = [];
    readTokensFile(path, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });

  it('warns through stderr by default', async () => {
    const path = await tokensFile('default-warn.json', GOOD, 0o644);
    const written: string[] = [];
    const original = console.error;
    console.error = (message: string) => written.push(message);
    try {
      readTokensFile(path);
    } finally {
      console.error = original;
    }
    expect(written).toEqual([expect.stringContaining('chmod 600')]);
  });
});
