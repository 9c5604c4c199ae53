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
 * The object name of a phase's result: per shard when `shard` is given (`scan-000003`), and
 * per split file too when `split` is (`write-000003-train`).
 */
export function workName(phase: WorkPhase, shard?: number, split?: string): string {
  if (shard === undefined) return phase;
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
    const bytes = await this.area.get(this.jobId, name);
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
