/** A pool thread for the pool's own tests: each task names what the thread should do. */
import { threadId } from 'node:worker_threads';
import { DatasetError, ValidationError } from '../../../../functions/core/errors.js';
import { serveTasks } from '../../../../functions/handlers/shard-pool/serve-tasks.js';

export type ProbeTask =
  | { readonly do: 'echo'; readonly value: unknown }
  | { readonly do: 'thread' }
  | { readonly do: 'bytes'; readonly size: number }
  | { readonly do: 'dataset-error' }
  | { readonly do: 'validation-error' }
  | { readonly do: 'type-error' }
  | { readonly do: 'exit' }
  | { readonly do: 'uncaught' }
  | { readonly do: 'hog' }
  | { readonly do: 'wait'; readonly ms: number };

const held: unknown[] = [];

serveTasks(async (task: ProbeTask, context: unknown) => {
  switch (task.do) {
    case 'echo':
      return { value: task.value, context };
    case 'thread':
      return threadId;
    case 'bytes':
      return { bytes: new Uint8Array(task.size).fill(7), threadId };
    case 'dataset-error':
      throw new DatasetError('DATASET.BAD_ROW', 'row 7 has 3 fields, not 2', {
        details: { errors: [{ path: 'row 7', message: 'too few fields' }] },
      });
    case 'validation-error':
      throw new ValidationError('SPEC.UNKNOWN_COLUMN', 'no column "label"', {
        details: { errors: [{ path: 'spec.stratifyBy', message: 'unknown column' }] },
      });
    case 'type-error':
      throw new TypeError('x is not a function');
    case 'exit':
      process.exit(3);
      break;
    case 'uncaught':
      setTimeout(() => {
        throw new Error('boom outside any task');
      }, 0);
      return new Promise(() => undefined);
    case 'hog':
      // Objects on the JS heap (not typed arrays, which live outside it) until the limit.
      for (;;) held.push({ a: Math.random(), b: [1, 2, 3], c: 'x'.repeat(64) + held.length });
    case 'wait':
      await new Promise((resolve) => setTimeout(resolve, task.ms));
      return threadId;
  }
});
