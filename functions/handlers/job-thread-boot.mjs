// Plain JavaScript on purpose: a worker thread inherits neither tsx's loader (npm start) nor
// vite's (vitest), so the TypeScript entry can only be imported once this has registered tsx.
// Run from compiled JavaScript, the entry is a .js file and no loader is needed.
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
