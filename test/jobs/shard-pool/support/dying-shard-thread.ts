/**
 * A shard pool thread that runs the real shard steps but exits when it is given the write step
 * of shard 3: a worker killed mid-freeze, after the scans and summaries, with parts in flight.
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../../../functions/handlers/shard-pool/serve-tasks.js';
import {
  type ShardTask,
  type ShardThreadData,
  shardTaskHandler,
} from '../../../../functions/handlers/shard-pool/shard-task.js';

const handle = shardTaskHandler((workerData as ShardThreadData).files);

serveTasks((task: ShardTask, context: never) => {
  if (task.kind === 'write' && task.slice.shard === 3) process.exit(9);
  return handle(task, context);
});
