/**
 * The WorkArea on local disk, for the embedded backend's conformance run of the AWS freeze's
 * steps: `<root>/jobs/<jobId>/<name>`. A put writes a temp file and renames it over the name,
 * so a reader never sees half an object and a retried step replaces a failed try's file.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../../core/errors.js';
import type { WorkArea, WorkLocation } from '../../core/ports.js';
import { workKey } from '../common/work-key.js';
import { asStorageFull } from './fs-blob-store.js';
import { tempPathFor } from './fs-temp-files.js';

export class FsWorkArea implements WorkArea {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  async put(jobId: string, name: string, body: Uint8Array): Promise<void> {
    const path = join(this.#root, workKey(jobId, name));
    const temp = tempPathFor(path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, body, { flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw asStorageFull(error, `writing work object ${name} of job ${jobId}`);
    }
  }

  async get(jobId: string, name: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(join(this.#root, workKey(jobId, name))));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError('WORK.NOT_FOUND', `job ${jobId} has no work object ${name}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  locate(jobId: string, name: string): WorkLocation {
    return { bucket: this.#root, key: workKey(jobId, name) };
  }
}
