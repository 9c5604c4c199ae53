/**
 * Blobs the embedded store found damaged, one small JSON file per blob under `<dir>/`, so the
 * record survives restarts and is shared by every process and worker thread on the data dir.
 * Listing is a readdir of what is normally an empty directory: cheap enough for health checks.
 */
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobKind, DamagedBlob, DamagedBlobLog } from '../../core/ports.js';

const NAME = /^(dataset|artifact|identities|leakage)\.([0-9a-f]{64})\.json$/;

export class FsDamageLog implements DamagedBlobLog {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Records (or re-records) a damaged blob; written via rename so a reader never sees half a file. */
  async mark(blob: DamagedBlob): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const path = this.#path(blob.kind, blob.sha256);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(blob), { mode: 0o600 });
    await rename(temp, path).catch(async (error: unknown) => {
      await unlink(temp).catch(() => undefined);
      throw error;
    });
  }

  /** Forgets a blob once the right bytes are back at its address. */
  async clear(kind: BlobKind, sha256: string): Promise<void> {
    await unlink(this.#path(kind, sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async listDamaged(): Promise<readonly DamagedBlob[]> {
    const names = await readdir(this.#dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const found: DamagedBlob[] = [];
    for (const name of names.sort()) {
      const match = NAME.exec(name);
      if (!match) continue;
      const [, kind, sha256] = match as unknown as [string, BlobKind, string];
      found.push(await this.#read(join(this.#dir, name), kind, sha256));
    }
    return found;
  }

  /** The file name is the record; its content only adds detail, so a bad one still counts. */
  async #read(path: string, kind: BlobKind, sha256: string): Promise<DamagedBlob> {
    try {
      const recorded = JSON.parse(await readFile(path, 'utf8')) as Partial<DamagedBlob>;
      return { ...recorded, kind, sha256, foundAt: String(recorded.foundAt ?? '') };
    } catch {
      return { kind, sha256, foundAt: '' };
    }
  }

  #path(kind: BlobKind, sha256: string): string {
    return join(this.#dir, `${kind}.${sha256}.json`);
  }
}
