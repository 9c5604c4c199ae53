/**
 * Placeholder entry of the freeze-coordinator function until the freeze steps land
 * (functions/jobs/freeze-steps-job.ts): the state machine is built around it, nothing runs it yet.
 */
export const handler = async (): Promise<never> => {
  throw new Error('the freeze steps are not part of this build');
};
