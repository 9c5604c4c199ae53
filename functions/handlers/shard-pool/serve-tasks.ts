/**
 * The thread side of ThreadPool: takes each task message, runs it, and posts its result (or
 * its error, as plain data) back. A result's large typed arrays are transferred: a shard's
 * encoded parts are megabytes, and a structured clone would copy each one.
 */
import { parentPort } from 'node:worker_threads';
import { toThreadError } from './thread-errors.js';
import { CONTEXTS_KEPT, type ResultMessage, type TaskMessage } from './thread-pool.js';

/** Runs one task with the context the pool sent along with it. */
export type TaskHandler = (task: never, context: never) => Promise<unknown>;

/** Arrays smaller than this are copied (cheaper than a transfer, and never a pooled Buffer's). */
const TRANSFER_MIN_BYTES = 64 * 1024;

/** Serves the pool's tasks on this thread's port, one at a time as the pool sends them. */
export function serveTasks(handle: TaskHandler): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread');
  const contexts = new Map<number, { value: unknown; buffers: Set<ArrayBuffer> }>();
  port.on('message', async (message: TaskMessage) => {
    if ('context' in message) {
      const buffers = new Set(transferables(message.context));
      contexts.set(message.contextId, { value: message.context, buffers });
      if (contexts.size > CONTEXTS_KEPT) contexts.delete(contexts.keys().next().value!);
    }
    const context = contexts.get(message.contextId);
    let result: ResultMessage;
    let transfer: ArrayBuffer[] = [];
    try {
      const value = await handle(message.task as never, context?.value as never);
      result = { id: message.id, ok: true, value };
      // A result may share an array with the context, which later tasks still read: that one
      // is copied, not moved.
      transfer = transferables(value).filter((b) => !context?.buffers.has(b));
    } catch (error) {
      result = { id: message.id, ok: false, error: toThreadError(error) };
    }
    try {
      port.postMessage(result, transfer);
    } catch (error) {
      port.postMessage({ id: message.id, ok: false, error: toThreadError(error) } satisfies ResultMessage);
    }
  });
}

/** The distinct large ArrayBuffers under `value` (plain objects, arrays and typed arrays). */
export function transferables(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 16) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength >= TRANSFER_MIN_BYTES) found.add(v.buffer);
      return;
    }
    const values = Array.isArray(v) ? v : v instanceof Map ? [...v.values()] : Object.values(v);
    for (const item of values) walk(item, depth + 1);
  };
  walk(value, 0);
  return [...found];
}
