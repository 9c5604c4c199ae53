import type { Job } from '../../schemas/records.js';
import type { SplitvaultClient } from '../client/index.js';
import type { UploadSettings } from './dataset-upload.js';
import type { Progress } from './progress.js';

/** What every command receives: a client, a progress display and where it runs. */
export interface CommandContext {
  readonly client: SplitvaultClient;
  readonly progress: Progress;
  /**
   * Hears every poll of a job (state and stage). Under --json it writes one JSON line per poll
   * to stderr, so scripts can follow a job while stdout keeps its one document.
   * @default nothing
   */
  readonly onJobPoll?: (job: Job, elapsedMs: number) => void;
  readonly cwd: string;
  /** How datasets are uploaded (./dataset-upload.ts). @default uploadSettings({}) */
  readonly uploads?: UploadSettings;
  readonly version: string;
  /** Where a command streams raw output (`get -o -`); its summary then goes to stderr. */
  readonly stdout: NodeJS.WritableStream;
}

/**
 * What every command returns. `data` is the one JSON document printed under --json; `text`
 * is the human rendering. exitCode 1 marks a result that is an answer but also a failure
 * (verify found the split not reproducible or a stored blob damaged).
 */
export interface CommandResult {
  readonly data: unknown;
  readonly text: string;
  readonly exitCode?: 0 | 1;
  /** 'stderr' when stdout already carries the command's raw output (`get -o -`). */
  readonly summaryTo?: 'stderr';
}
