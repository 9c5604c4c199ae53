import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoredFileSource } from '../../../functions/adapters/local/stored-file-source.js';
import { IntegrityError, NotFoundError } from '../../../functions/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'stored-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (c: string) => c.repeat(64);

describe('a shard worker reading stored dataset files from disk', () => {
  it('reads byte ranges of each file, opening only the files it reads', async () => {
    writeFileSync(join(dir, 'a'), 'hello ');
    writeFileSync(join(dir, 'b'), 'world');
    const source = new StoredFileSource([
      { path: join(dir, 'a'), sha256: sha('a'), bytes: 6 },
      { path: join(dir, 'b'), sha256: sha('b'), bytes: 5 },
      { path: join(dir, 'never-read'), sha256: sha('c'), bytes: 1 },
    ]);
    try {
      expect(source.sizes).toEqual([6, 5, 1]);
      expect(new TextDecoder().decode(await source.readRange(1, 1, 4))).toBe('orl');
      expect(new TextDecoder().decode(await source.readRange(0, 0, 6))).toBe('hello ');
    } finally {
      await source.close();
    }
  });

  it("refuses a stored file whose size is not its record's as damage", async () => {
    writeFileSync(join(dir, 'grown'), 'abcdef');
    const source = new StoredFileSource([{ path: join(dir, 'grown'), sha256: sha('d'), bytes: 4 }]);
    try {
      const error = await source.readRange(0, 0, 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error).toMatchObject({ code: 'BLOB.INTEGRITY' });
    } finally {
      await source.close();
    }
  });

  it('answers a missing stored file with BLOB.NOT_FOUND, as the blob store does', async () => {
    const source = new StoredFileSource([{ path: join(dir, 'gone'), sha256: sha('e'), bytes: 4 }]);
    try {
      const error = await source.readRange(0, 0, 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: 'BLOB.NOT_FOUND' });
    } finally {
      await source.close();
    }
  });
});
