/**
 * Multipart uploads on the embedded backend. Each upload is a staging directory outside the
 * blob tree (uploads/<id>/: plan.json and one verified file per part), so nothing staged can
 * ever be read or published as a blob. complete() streams the parts in order into the blob
 * store's verified put (fs-verified-write.ts: fsync, read back, hash), which publishes only
 * bytes hashing to the address; memory stays bounded by the read buffers whatever the size.
 * Uploads past their expiry are removed when the store next starts or reads an upload.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IntegrityError, NotFoundError, ValidationError } from '../../core/errors.js';
import type { BlobPutResult, BlobStore, PresignedRequest } from '../../core/ports.js';
import {
  assembledMismatch,
  existingPartSize,
  partCount,
  requireAllParts,
} from '../../core/upload/part-plan.js';
import type { MultipartStore, PartGrant, StagedPart, UploadPlan } from '../../core/upload/ports.js';
import { asStorageFull } from './fs-blob-store.js';
import { writeVerified } from './fs-verified-write.js';
import { HmacPartUrlSigner } from './part-urls.js';

export interface FsMultipartStoreOptions {
  /** The staging root; not under the blob store's directory. */
  readonly dir: string;
  /** Where completed uploads are published. */
  readonly blobs: BlobStore;
  readonly publicBaseUrl: string;
  readonly secret: Uint8Array;
  /** How long an upload may stay incomplete. @default 7 days */
  readonly ttlSeconds?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

const ID = /^[A-Za-z0-9_-]{16,200}$/;
const PART_FILE = /^(\d{5})\.([0-9a-f]{64})\.part$/;

/** The embedded MultipartStore; also stores the parts its signed URLs deliver. */
export class FsMultipartStore implements MultipartStore {
  readonly #dir: string;
  readonly #blobs: BlobStore;
  readonly #signer: HmacPartUrlSigner;
  readonly #ttlMs: number;
  readonly #clock: () => Date;
  readonly #completing = new Map<string, Promise<BlobPutResult>>();

  constructor(options: FsMultipartStoreOptions) {
    this.#dir = options.dir;
    this.#blobs = options.blobs;
    this.#signer = new HmacPartUrlSigner(options);
    this.#ttlMs = (options.ttlSeconds ?? 7 * 86_400) * 1000;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Checks the URLs presignPart hands out. */
  get verifier(): HmacPartUrlSigner {
    return this.#signer;
  }

  async start(sha256: string, bytes: number, partBytes: number): Promise<UploadPlan> {
    const pending = await this.#unexpired();
    const same = pending.find((p) => p.sha256 === sha256 && p.bytes === bytes && p.partBytes === partBytes);
    if (same) return same;
    const now = this.#clock();
    const plan: UploadPlan = {
      id: randomBytes(18).toString('base64url'),
      sha256,
      bytes,
      partBytes,
      partCount: partCount(bytes, partBytes),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.#ttlMs).toISOString(),
    };
    try {
      await mkdir(this.#uploadDir(plan.id), { recursive: true, mode: 0o700 });
      // Renamed into place, so a concurrent start() never reads half a plan.
      const temp = join(this.#uploadDir(plan.id), 'plan.json.tmp');
      await writeFile(temp, JSON.stringify(plan), { mode: 0o600 });
      await rename(temp, join(this.#uploadDir(plan.id), 'plan.json'));
    } catch (error) {
      throw asStorageFull(error, `starting an upload of ${sha256}`);
    }
    return plan;
  }

  async get(id: string): Promise<UploadPlan | undefined> {
    if (!ID.test(id)) return undefined;
    const text = await readFile(join(this.#uploadDir(id), 'plan.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const plan = JSON.parse(text) as UploadPlan;
    if (Date.parse(plan.expiresAt) < this.#clock().getTime()) {
      await this.abort(id);
      return undefined;
    }
    return plan;
  }

  async presignPart(
    plan: UploadPlan,
    number: number,
    sha256: string,
    options: { readonly expiresIn: number },
  ): Promise<PresignedRequest> {
    const bytes = existingPartSize(plan, number);
    const expires = Math.ceil((this.#clock().getTime() + options.expiresIn * 1000) / 1000);
    const url = this.#signer.sign({ uploadId: plan.id, number, sha256, bytes }, expires);
    return { url, method: 'PUT', headers: {}, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /**
   * Stores one part from a verified URL: written, fsynced and read back against the part's
   * SHA-256 and size before it replaces any earlier copy of the same part.
   */
  async putPart(grant: PartGrant, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const plan = await this.get(grant.uploadId);
    if (!plan) throw gone(grant.uploadId);
    const dir = this.#uploadDir(plan.id);
    const name = `${String(grant.number).padStart(5, '0')}.${grant.sha256}.part`;
    const temp = join(dir, `${process.pid}-${randomUUID()}.tmp`);
    try {
      await writeVerified(temp, grant.sha256, body, grant.bytes);
      await rename(temp, join(dir, name));
      // Only the newest verified copy of a part counts.
      for (const other of await readdir(dir)) {
        if (other !== name && other.startsWith(`${name.slice(0, 5)}.`)) await unlink(join(dir, other));
      }
    } catch (error) {
      if (error instanceof IntegrityError) {
        throw new ValidationError(
          'UPLOAD.HASH_MISMATCH',
          `part ${grant.number} does not hash to ${grant.sha256}`,
          {
            cause: error,
          },
        );
      }
      throw asStorageFull(error, `staging part ${grant.number} of upload ${plan.id}`);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async listParts(plan: UploadPlan): Promise<readonly StagedPart[]> {
    const dir = this.#uploadDir(plan.id);
    const names = await readdir(dir).catch(() => [] as string[]);
    const parts: StagedPart[] = [];
    for (const name of names.sort()) {
      const match = PART_FILE.exec(name);
      if (!match) continue;
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info) parts.push({ number: Number(match[1]), sha256: match[2]!, bytes: info.size });
    }
    return parts;
  }

  /**
   * One assembly per upload at a time in this process: a second complete of the same upload
   * (a client retrying after a timeout) gets the first one's answer instead of reading parts
   * the first is about to remove.
   */
  async complete(plan: UploadPlan): Promise<BlobPutResult> {
    const running = this.#completing.get(plan.id);
    if (running) return running;
    const assembly = this.#assemble(plan).finally(() => this.#completing.delete(plan.id));
    this.#completing.set(plan.id, assembly);
    return assembly;
  }

  async #assemble(plan: UploadPlan): Promise<BlobPutResult> {
    const staged = new Map((await this.listParts(plan)).map((part) => [part.number, part]));
    const files = requireAllParts(plan, staged, (part) => part.bytes).map((part) =>
      join(this.#uploadDir(plan.id), `${String(part.number).padStart(5, '0')}.${part.sha256}.part`),
    );
    try {
      return await this.#blobs.put('dataset', plan.sha256, concatFiles(files), plan.bytes);
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      // The parts are the client's bytes and they are not the dataset: no retry can fix them.
      await this.abort(plan.id);
      throw assembledMismatch(plan.sha256, error);
    } finally {
      // A published upload has nothing left to stage; a failed put (disk full) keeps its parts.
      if (await this.#blobs.head('dataset', plan.sha256)) await this.abort(plan.id);
    }
  }

  async abort(id: string): Promise<void> {
    if (!ID.test(id)) return;
    await rm(this.#uploadDir(id), { recursive: true, force: true });
  }

  /** Removes uploads past their expiry; answers how many. */
  async sweepExpired(): Promise<number> {
    const ids = (await readdir(this.#dir).catch(() => [] as string[])).filter((id) => ID.test(id));
    return ids.length - (await this.#unexpired()).length;
  }

  /** Every upload still in progress, removing expired ones on the way (there are few). */
  async #unexpired(): Promise<UploadPlan[]> {
    const ids = await readdir(this.#dir).catch(() => [] as string[]);
    const plans: UploadPlan[] = [];
    for (const id of ids) {
      const plan = ID.test(id) ? await this.get(id) : undefined;
      if (plan) plans.push(plan);
    }
    return plans;
  }

  #uploadDir(id: string): string {
    return join(this.#dir, id);
  }
}

/** The files' bytes in order, one bounded read stream at a time. */
async function* concatFiles(files: readonly string[]): AsyncIterable<Uint8Array> {
  for (const file of files) {
    for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }))
      yield chunk as Buffer;
  }
}

function gone(id: string): NotFoundError {
  return new NotFoundError('UPLOAD.NOT_FOUND', `no upload ${id} in progress (completed, aborted or expired)`);
}
