import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import { BackendUnavailableError } from '../core/errors.js';

/** The event the API sends the worker; the job itself (and its input) is in the table. */
export interface WorkerEvent {
  readonly jobId: string;
}

/** Starts the worker Lambda asynchronously ('Event'): the API answers 202 without waiting. */
export class LambdaDispatcher implements JobDispatcher {
  readonly #client: LambdaClient;
  readonly #functionName: string;

  constructor(client: LambdaClient, functionName: string) {
    this.#client = client;
    this.#functionName = functionName;
  }

  async dispatch(job: Job): Promise<void> {
    const event: WorkerEvent = { jobId: job.id };
    try {
      await this.#client.send(
        new InvokeCommand({
          FunctionName: this.#functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
    } catch (cause) {
      throw new BackendUnavailableError(`could not start job ${job.id}`, { cause });
    }
  }
}
