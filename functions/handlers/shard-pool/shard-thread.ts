/** Entry of a shard pool thread (started through ../job-thread-boot.mjs by ThreadPool). */
import { workerData } from 'node:worker_threads';
import { serveTasks } from './serve-tasks.js';
import { type ShardThreadData, shardTaskHandler } from './shard-task.js';

serveTasks(shardTaskHandler((workerData as ShardThreadData).files));
