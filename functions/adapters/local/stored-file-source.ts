import { type FileHandle, open } from 'node:fs/promises';
import { IntegrityError, NotFoundError } from '../../core/errors.js';
import type { DatasetSource } from '../../core/shard/source.js';

/** A stored dataset file on disk: its path in the blob store and the size its record gives. */
export interface StoredFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * A stored dataset's files read straight from the blob store's directory, for a shard worker
 * (a DatasetSource can't cross a thread boundary, paths can). Each file is opened at its first
 * read, so a task that reads one file of a thousand opens one. The job hashed every file in
 * full just before (freeze-sharded.ts hashStoredDataset), as the blob store's own ranged reads
 * rely on; a file here only has to be the size its record says, or it is damage.
 */
export class StoredFileSource implements DatasetSource {
  readonly sizes: readonly number[];
  readonly #files: readonly StoredFile[];
  readonly #handles = new Map<number, Promise<FileHandle>>();

  constructor(files: readonly StoredFile[]) {
    this.#files = files;
    this.sizes = files.map((f) => f.bytes);
  }

  async readRange(file: number, start: number, end: number): Promise<Uint8Array> {
    const handle = await this.#handle(file);
    const out = new Uint8Array(Math.max(0, end - start));
    let at = 0;
    while (at < out.length) {
      const { bytesRead } = await handle.read(out, at, out.length - at, start + at);
      if (bytesRead === 0) throw this.#damaged(file, `ended at byte ${start + at}, before ${end}`);
      at += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    const handles = [...this.#handles.values()];
    this.#handles.clear();
    await Promise.all(handles.map(async (h) => (await h.catch(() => undefined))?.close()));
  }

  #handle(file: number): Promise<FileHandle> {
    let handle = this.#handles.get(file);
    if (!handle) {
      handle = this.#open(file);
      this.#handles.set(file, handle);
    }
    return handle;
  }

  async #open(file: number): Promise<FileHandle> {
    const { path, sha256, bytes } = this.#files[file]!;
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new NotFoundError('BLOB.NOT_FOUND', `no dataset stored under ${sha256}`);
      throw error;
    });
    const { size } = await handle.stat();
    if (size !== bytes) {
      await handle.close();
      throw this.#damaged(file, `holds ${size} bytes, not ${bytes}`);
    }
    return handle;
  }

  #damaged(file: number, how: string): IntegrityError {
    return new IntegrityError(`the stored dataset ${this.#files[file]!.sha256} ${how}`);
  }
}
