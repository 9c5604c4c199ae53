/**
 * A freeze job's intermediate objects in the work area, as the state machine's steps hand them
 * to each other. Each is v8-serialized plain data (typed arrays stay typed arrays) inside an
 * envelope naming its job, phase and name, and is stored behind an HMAC-SHA256 tag under the
 * execution's work key. The key is drawn by the plan step and travels only in the execution's
 * state, never in the work area: the shard function may put objects of any job (IAM can't tell
 * jobs apart), so without the key a subverted shard could forge another job's scans or split
 * parts in a well-formed envelope. A step refuses an object whose tag doesn't verify before it
 * deserializes a byte of it, and then one that names another job, phase or name.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { SplitvaultError } from '../core/errors.js';
import type { WorkArea } from '../core/ports.js';

/** The envelope's marker and layout version; a change to either is a new value here. */
const FORMAT = 'splitvault-freeze-work/2';

/** Bytes of a work key (256 random bits) and of each object's HMAC-SHA256 tag. */
const KEY_BYTES = 32;
const TAG_BYTES = 32;

/** The steps that write work objects. */
export type WorkPhase = 'plan' | 'scan' | 'merge' | 'summarize' | 'assign' | 'write' | 'combine';

interface Envelope {
  readonly format: string;
  readonly jobId: string;
  readonly phase: WorkPhase;
  readonly name: string;
  readonly value: unknown;
}

/** A work object that is not the one asked for (another job's, another phase's, or not ours at all). */
export class WorkMismatchError extends SplitvaultError {
  constructor(message: string) {
    super('integrity', 'JOB.WORK_MISMATCH', message);
    this.name = 'WorkMismatchError';
  }
}

/** A fresh work key for one execution, as the 64 hex digits the state machine carries. */
export function drawWorkKey(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

/**
 * The object name of a phase's result: per shard when `shard` is given (`scan-000003`), per
 * split file when `split` is (`combine-train`), or both (`write-000003-train`).
 */
export function workName(phase: WorkPhase, shard?: number, split?: string): string {
  if (shard === undefined) return split === undefined ? phase : `${phase}-${split}`;
  const name = `${phase}-${String(shard).padStart(6, '0')}`;
  return split === undefined ? name : `${name}-${split}`;
}

/** One job's view of the work area under its execution's key: typed values in, checked values out. */
export class FreezeWork {
  readonly #key: Buffer;

  /** `key` is the execution's work key (drawWorkKey), 64 hex digits. */
  constructor(
    readonly area: WorkArea,
    readonly jobId: string,
    key: string,
  ) {
    this.#key = Buffer.from(key, 'hex');
    // Buffer.from ignores what isn't hex: a short key would be a weak one, not an error.
    if (this.#key.byteLength !== KEY_BYTES || this.#key.toString('hex') !== key.toLowerCase()) {
      throw new Error(`a work key is ${KEY_BYTES * 2} hex digits`);
    }
  }

  #tag(body: Uint8Array): Buffer {
    return createHmac('sha256', this.#key).update(body).digest();
  }

  async put(phase: WorkPhase, value: unknown, shard?: number, split?: string): Promise<void> {
    const name = workName(phase, shard, split);
    const envelope: Envelope = { format: FORMAT, jobId: this.jobId, phase, name, value };
    const body = serialize(envelope);
    await this.area.put(this.jobId, name, Buffer.concat([this.#tag(body), body]));
  }

  async get<T>(phase: WorkPhase, shard?: number, split?: string): Promise<T> {
    const name = workName(phase, shard, split);
    return this.#open<T>(phase, name, await this.area.get(this.jobId, name));
  }

  /**
   * The values of `phase` for each of `keys`, in that order: read ahead where the work area
   * can (WorkArea.getEach), else one by one.
   */
  async *getEach<T>(
    phase: WorkPhase,
    keys: readonly { readonly shard?: number; readonly split?: string }[],
  ): AsyncGenerator<T> {
    const names = keys.map(({ shard, split }) => workName(phase, shard, split));
    if (this.area.getEach === undefined) {
      for (const name of names) yield this.#open<T>(phase, name, await this.area.get(this.jobId, name));
      return;
    }
    let index = 0;
    for await (const bytes of this.area.getEach(this.jobId, names)) {
      yield this.#open<T>(phase, names[index]!, bytes);
      index += 1;
    }
  }

  /** Checks the tag before anything is deserialized, then the envelope's job, phase and name. */
  #open<T>(phase: WorkPhase, name: string, bytes: Uint8Array): T {
    const body = bytes.subarray(TAG_BYTES);
    if (bytes.byteLength < TAG_BYTES || !timingSafeEqual(bytes.subarray(0, TAG_BYTES), this.#tag(body))) {
      throw new WorkMismatchError(
        `work object ${name} of job ${this.jobId} does not carry this execution's tag`,
      );
    }
    let envelope: Partial<Envelope>;
    try {
      envelope = deserialize(body) as Partial<Envelope>;
    } catch {
      throw new WorkMismatchError(`work object ${name} of job ${this.jobId} is not a freeze work object`);
    }
    if (envelope?.format !== FORMAT) {
      throw new WorkMismatchError(`work object ${name} of job ${this.jobId} is not a freeze work object`);
    }
    if (envelope.jobId !== this.jobId || envelope.phase !== phase || envelope.name !== name) {
      throw new WorkMismatchError(
        `work object ${name} of job ${this.jobId} holds ${String(envelope.name)} of job ${String(envelope.jobId)}`,
      );
    }
    return envelope.value as T;
  }
}
