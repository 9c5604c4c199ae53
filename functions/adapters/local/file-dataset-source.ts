import { type FileHandle, open } from 'node:fs/promises';
import type { DatasetSource } from '../../core/shard/source.js';

/** Bytes per read call: Node's file read takes at most 2^31 − 1 bytes at a time. */
const MAX_READ_BYTES = 2 ** 30;

/**
 * A dataset's files on disk as shard ingest reads them: sizes, and byte ranges read through
 * open handles, so no more than a range is ever in memory. Close it when the freeze is done.
 */
export class FileDatasetSource implements DatasetSource {
  private constructor(
    private readonly handles: readonly FileHandle[],
    readonly sizes: readonly number[],
  ) {}

  static async open(paths: readonly string[]): Promise<FileDatasetSource> {
    const handles: FileHandle[] = [];
    try {
      for (const path of paths) handles.push(await open(path, 'r'));
      const sizes = await Promise.all(handles.map(async (h) => (await h.stat()).size));
      return new FileDatasetSource(handles, sizes);
    } catch (error) {
      await Promise.all(handles.map((h) => h.close()));
      throw error;
    }
  }

  async readRange(file: number, start: number, end: number): Promise<Uint8Array> {
    const out = new Uint8Array(end - start);
    let at = 0;
    while (at < out.length) {
      // Node aborts the process (a failed assertion, not an error) on a read of 2 GiB or more.
      const length = Math.min(out.length - at, MAX_READ_BYTES);
      const { bytesRead } = await this.handles[file]!.read(out.subarray(at), 0, length, start + at);
      if (bytesRead === 0) throw new Error(`file ${file} ended at byte ${start + at}, before ${end}`);
      at += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.close()));
  }
}
