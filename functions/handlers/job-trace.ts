import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Runs one job inside its own X-Ray subsegment, annotated with the job's id so a trace can be
 * found from a job (and the other way round). Lambda's own segment is a facade that takes no
 * annotations, hence the subsegment. When tracing is off, the tracer makes all of this a no-op.
 */
export async function traceJob<T>(tracer: Tracer, jobId: string, run: () => Promise<T>): Promise<T> {
  const parent = tracer.getSegment();
  const segment = parent?.addNewSubsegment('## job');
  if (segment) tracer.setSegment(segment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  tracer.putAnnotation('jobId', jobId);
  try {
    return await run();
  } catch (err) {
    tracer.addErrorAsMetadata(err as Error);
    throw err;
  } finally {
    segment?.close();
    if (parent) tracer.setSegment(parent);
  }
}
