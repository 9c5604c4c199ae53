/**
 * What one worker delivery tells the operators, as CloudWatch metrics in embedded metric
 * format (Powertools writes them to stdout; Lambda's log pipeline turns them into metrics).
 * The names are a contract with lib/vault-dashboard.ts and lib/vault-alarms.ts.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Job } from '../../schemas/records.js';

/** Metric names the worker emits; the construct charts and alarms on them. */
export const JOB_METRICS = {
  freezes: 'Freezes',
  freezeFailures: 'FreezeFailures',
  freezeDuration: 'FreezeDuration',
  freezeBytes: 'FreezeBytes',
  verifies: 'Verifies',
  verifyFailures: 'VerifyFailures',
  jobRetries: 'JobRetries',
  stuckJobs: 'StuckJobs',
} as const;

/** One delivery of a job to the worker: the job as it found it and as it left it. */
export interface JobDelivery {
  /** The job before this delivery ran it (undefined when it doesn't exist). */
  readonly before: Job | undefined;
  readonly after: Job;
  readonly durationMs: number;
  /** Size of the frozen dataset, when the delivery froze one. */
  readonly datasetBytes?: number;
}

/**
 * A job found `running` was started by an earlier attempt. If this delivery ran it anyway
 * (the earlier attempt was abandoned), that is a retry; if it left the job running, the
 * job is stuck until that attempt finishes or is given up on.
 */
export function recordJobMetrics(metrics: Metrics, delivery: JobDelivery): void {
  const { before, after } = delivery;
  const foundRunning = before?.state === 'running';
  if (after.state === 'running') {
    if (foundRunning) metrics.addMetric(JOB_METRICS.stuckJobs, MetricUnit.Count, 1);
    return;
  }
  // Already finished before this delivery: a duplicate event, nothing ran.
  if (before !== undefined && before.state !== 'queued' && !foundRunning) return;
  if (foundRunning) metrics.addMetric(JOB_METRICS.jobRetries, MetricUnit.Count, 1);
  if (after.kind === 'freeze') {
    if (after.state === 'succeeded') {
      metrics.addMetric(JOB_METRICS.freezes, MetricUnit.Count, 1);
      metrics.addMetric(JOB_METRICS.freezeDuration, MetricUnit.Milliseconds, delivery.durationMs);
      if (delivery.datasetBytes !== undefined) {
        metrics.addMetric(JOB_METRICS.freezeBytes, MetricUnit.Bytes, delivery.datasetBytes);
      }
    } else {
      metrics.addMetric(JOB_METRICS.freezeFailures, MetricUnit.Count, 1);
    }
    return;
  }
  metrics.addMetric(JOB_METRICS.verifies, MetricUnit.Count, 1);
  // A verification fails when it could not run, or ran and found the split not reproducible
  // or its stored bytes changed: either way someone must look at it.
  const result = after.result as { reproducible?: unknown; storage?: { intact?: unknown } } | undefined;
  const clean =
    after.state === 'succeeded' && result?.reproducible === true && result.storage?.intact === true;
  if (!clean) metrics.addMetric(JOB_METRICS.verifyFailures, MetricUnit.Count, 1);
}
