/**
 * A freeze job's intermediate objects in the work area, as the state machine's steps hand them
 * to each other. Each is v8-serialized plain data (typed arrays stay typed arrays) inside an
 * envelope naming its job, phase and name: a step that is handed another job's object, or the
 * wrong phase's, refuses it instead of freezing from it.
 */
import { deserialize, serialize } from 'node:v8';
import { SplitvaultError } from '../core/errors.js';
import type { WorkArea } from '../core/ports.js';

/** The envelope's marker and layout version; a change to either is a new value here. */
const FORMAT = 'splitvault-freeze-work/1';

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

/**
 * The object name of a phase's result: per shard when `shard` is given (`scan-000003`), per
 * split file when `split` is (`combine-train`), or both (`write-000003-train`).
 */
export function workName(phase: WorkPhase, shard?: number, split?: string): string {
  if (shard === undefined) return split === undefined ? phase : `${phase}-${split}`;
  const name = `${phase}-${String(shard).padStart(6, '0')}`;
  return split === undefined ? name : `${name}-${split}`;
}

/** One job's view of the work area: typed values in, checked values out. */
export class FreezeWork {
  constructor(
    readonly area: WorkArea,
    readonly jobId: string,
  ) {}

  async put(phase: WorkPhase, value: unknown, shard?: number, split?: string): Promise<void> {
    const name = workName(phase, shard, split);
    const envelope: Envelope = { format: FORMAT, jobId: this.jobId, phase, name, value };
    await this.area.put(this.jobId, name, serialize(envelope));
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

  #open<T>(phase: WorkPhase, name: string, bytes: Uint8Array): T {
    let envelope: Partial<Envelope>;
    try {
      envelope = deserialize(bytes) as Partial<Envelope>;
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
