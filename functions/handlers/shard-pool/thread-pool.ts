/**
 * A pool of worker threads for one job: started lazily, up to `size`, each running one task at
 * a time, and all ended by close(). Tasks and results are plain data; a result's large typed
 * arrays are transferred, not copied (serve-tasks.ts). A thread that dies fails the pool: its
 * task and every other one reject with WorkerDiedError and the other threads are terminated,
 * so a job never goes on short of a shard.
 */
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { WorkerDiedError } from '../../core/errors.js';
import { fromThreadError, type ThreadError } from './thread-errors.js';

export interface ThreadPoolOptions {
  /** Most threads (and so tasks) at once. */
  readonly size: number;
  /** URL of the module each thread runs (it calls serveTasks). */
  readonly entry: string;
  /** Handed to every thread as `workerData` (with `entry`). */
  readonly workerData?: Readonly<Record<string, unknown>>;
  /** Heap limits of each thread; past them the thread dies with ERR_WORKER_OUT_OF_MEMORY. */
  readonly resourceLimits?: ResourceLimits;
}

/** What the pool posts: a task, with its shared context the first time this thread sees it. */
export interface TaskMessage {
  readonly id: number;
  readonly contextId: number;
  readonly context?: unknown;
  readonly task: unknown;
}

/** What a thread posts back, once per task. */
export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: ThreadError };

interface Pending {
  readonly id: number;
  readonly task: unknown;
  readonly context: object;
  readonly key: object;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Contexts this thread holds, oldest first: the ones it was sent, as it evicts them. */
  readonly contexts: number[];
  busy?: Pending;
  error?: Error;
  /** Ended by trim(): its exit is asked for, not a death. */
  retired?: boolean;
}

// Plain JavaScript that registers tsx for a .ts entry (under vitest or npm start) and imports it.
const BOOT = new URL('../job-thread-boot.mjs', import.meta.url);

/** Contexts a thread keeps (a freeze shares two: before and after the merge); both sides evict alike. */
export const CONTEXTS_KEPT = 4;

let running = 0;

/** Pool threads of this process that have started and not yet exited, whichever pool they serve. */
export function runningPoolThreads(): number {
  return running;
}

export class ThreadPool {
  readonly size: number;
  readonly #options: ThreadPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  readonly #started: number[] = [];
  readonly #contextIds = new WeakMap<object, number>();
  #nextId = 0;
  #failure: Error | undefined;
  #closed = false;

  constructor(options: ThreadPoolOptions) {
    if (!Number.isSafeInteger(options.size) || options.size < 1) {
      throw new RangeError(`size must be a positive integer, got ${options.size}`);
    }
    this.size = options.size;
    this.#options = options;
  }

  /**
   * Runs `task` on a free thread. `context` is data many tasks share (a freeze's plan): each
   * thread is sent it once per `key` (an object whose identity stands for the context's
   * content; the context itself by default), and the task sees it alongside.
   */
  run<T>(task: unknown, context: object, key: object = context): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error('the thread pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        id: this.#nextId++,
        task,
        context,
        key,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.#pump();
    });
  }

  /** Ids of the threads started so far (all of them, whether or not still running). */
  get threadIds(): readonly number[] {
    return [...this.#started];
  }

  /**
   * Ends idle threads, the latest started first, until at most `keep` are left (a busy thread is
   * never ended), and waits until they have exited. A thread's
   * memory outlives its tasks: garbage an idle thread never collects (it allocates nothing, so
   * nothing triggers a collection) and WebAssembly memory, which never shrinks (parquet-wasm's
   * grows to the biggest row group the thread decoded). Only ending the thread gives it back.
   * The pool starts threads again, up to its size, as tasks need them.
   */
  async trim(keep: number): Promise<void> {
    const idle = this.#slots.filter((s) => !s.busy);
    const excess = Math.min(idle.length, this.#slots.length - Math.max(0, keep));
    if (excess <= 0) return;
    const ending = idle.slice(idle.length - excess);
    for (const slot of ending) slot.retired = true;
    this.#slots.splice(0, this.#slots.length, ...this.#slots.filter((s) => !s.retired));
    await Promise.all(ending.map((s) => s.worker.terminate()));
  }

  /** Ends every thread and waits until each has exited; a task still queued rejects. */
  async close(): Promise<void> {
    this.#closed = true;
    const closed = new Error('the thread pool is closed');
    for (const pending of this.#queue.splice(0)) pending.reject(closed);
    for (const slot of this.#slots) slot.busy?.reject(closed);
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.busy);
      if (!slot && this.#slots.length < this.size) slot = this.#start();
      if (!slot) return;
      this.#send(slot, this.#queue.shift()!);
    }
  }

  #send(slot: Slot, pending: Pending): void {
    slot.busy = pending;
    let contextId = this.#contextIds.get(pending.key);
    if (contextId === undefined) {
      contextId = this.#nextId++;
      this.#contextIds.set(pending.key, contextId);
    }
    const first = !slot.contexts.includes(contextId);
    if (first) {
      slot.contexts.push(contextId);
      if (slot.contexts.length > CONTEXTS_KEPT) slot.contexts.shift();
    }
    const message: TaskMessage = {
      id: pending.id,
      contextId,
      ...(first ? { context: pending.context } : {}),
      task: pending.task,
    };
    try {
      slot.worker.postMessage(message);
    } catch (error) {
      // Data that can't be cloned: this task's fault, not the thread's.
      slot.busy = undefined;
      pending.reject(error);
      this.#pump();
    }
  }

  #start(): Slot {
    const { entry, workerData, resourceLimits } = this.#options;
    const worker = new Worker(BOOT, {
      workerData: { ...workerData, entry },
      ...(resourceLimits ? { resourceLimits } : {}),
    });
    running++;
    const slot: Slot = { worker, contexts: [] };
    worker.on('message', (message: ResultMessage) => this.#settle(slot, message));
    worker.on('error', (error) => {
      slot.error = error;
    });
    worker.once('exit', (code) => {
      running--;
      if (!this.#closed && !slot.retired) this.#fail(died(slot, code));
    });
    this.#slots.push(slot);
    this.#started.push(worker.threadId);
    return slot;
  }

  #settle(slot: Slot, message: ResultMessage): void {
    const pending = slot.busy;
    if (!pending || pending.id !== message.id || this.#failure) return;
    slot.busy = undefined;
    if (message.ok) pending.resolve(message.value);
    else pending.reject(fromThreadError(message.error));
    this.#pump();
  }

  /** One thread died: every task fails with it, and the other threads are ended. */
  #fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    for (const slot of this.#slots) {
      slot.busy?.reject(error);
      slot.busy = undefined;
    }
    for (const pending of this.#queue.splice(0)) pending.reject(error);
    this.#closed = true;
    for (const slot of this.#slots) void slot.worker.terminate();
  }
}

/** Why a thread ended without being asked to, in words an operator can act on. */
function died(slot: Slot, exitCode: number): WorkerDiedError {
  const { error } = slot;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const threadId = slot.worker.threadId;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new WorkerDiedError(
      'a shard worker ran out of memory; raise SPLITVAULT_WORKER_MEMORY or lower SPLITVAULT_WORKERS',
      { cause: error, details: { reason: 'out-of-memory', threadId, exitCode } },
    );
  }
  if (error) {
    return new WorkerDiedError(`a shard worker crashed: ${error.message.slice(0, 200)}`, {
      cause: error,
      details: { reason: 'crashed', threadId, exitCode },
    });
  }
  return new WorkerDiedError(`a shard worker exited with code ${exitCode} before its task was done`, {
    details: { reason: 'exited', threadId, exitCode },
  });
}
