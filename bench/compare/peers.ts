import { join } from 'node:path';
import { ROOT } from '../lib/paths.js';

/** A competitor that turns the same file into three hashed Arrow IPC files of the same sizes. */
export interface Peer {
  readonly name: string;
  readonly script: string;
}

/** The Python peers, in the order the report lists them. */
export const PYTHON_PEERS: readonly Peer[] = [
  { name: 'polars', script: join(ROOT, 'bench', 'peers', 'polars-split.py') },
  { name: 'pandas+sklearn', script: join(ROOT, 'bench', 'peers', 'pandas-sklearn-split.py') },
  { name: 'hf-datasets', script: join(ROOT, 'bench', 'peers', 'hf-datasets-split.py') },
];

export const CEILING_SCRIPT = join(ROOT, 'bench', 'peers', 'ceiling.py');

/** The peers' environment: offline Hugging Face, and no thread oversubscription surprises. */
export function peerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_HUB_DISABLE_TELEMETRY: '1' };
}
