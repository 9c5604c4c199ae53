import type { Config } from '../config.js';
import { DEFAULT_LEASE, type LeaseOptions } from '../jobs/job-lease.js';

/**
 * The runner's lease settings from config. The heartbeat defaults to a third of the lease
 * (at most 15 s) so two beats can be missed before the lease runs out.
 */
export function leaseFromConfig(
  config: Config,
  maxAttempts = DEFAULT_LEASE.maxAttempts,
): Partial<LeaseOptions> {
  const leaseMs = (config.jobLeaseSeconds ?? DEFAULT_LEASE.leaseMs / 1000) * 1000;
  const heartbeatMs =
    config.jobHeartbeatSeconds === undefined
      ? Math.min(DEFAULT_LEASE.heartbeatMs, leaseMs / 3)
      : config.jobHeartbeatSeconds * 1000;
  return { leaseMs, heartbeatMs, maxAttempts: config.jobMaxAttempts ?? maxAttempts };
}
