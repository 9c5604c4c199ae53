/** What the embedded blob store holds on disk, read behind its back for disk-fault checks. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface BlobFiles {
  /** Published files, each with whether its bytes hash to the address in its name. */
  readonly published: readonly { readonly name: string; readonly intact: boolean }[];
  /** Temp files still lying around. */
  readonly temps: readonly string[];
}

export async function hashOfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function blobFiles(blobsDir: string): Promise<BlobFiles> {
  const published: { name: string; intact: boolean }[] = [];
  const temps: string[] = [];
  for (const sub of ['datasets/sha256', 'artifacts/sha256']) {
    const dir = join(blobsDir, sub);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.endsWith('.tmp')) temps.push(name);
      else published.push({ name, intact: (await hashOfFile(join(dir, name))) === name.slice(0, 64) });
    }
  }
  return { published, temps };
}
