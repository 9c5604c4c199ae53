import { describe, expect, it } from 'vitest';
import { serviceEnvironment } from '../../functions/handlers/service-environment.js';
import { runJob } from '../../functions/jobs/run-job.js';
import { type FaultMode, FaultPlan } from './support/fault-plan.js';
import { runScenario } from './support/fault-scenario.js';
import { BACKENDS, createHarness, type Harness } from './support/harness.js';
import { checkInvariants } from './support/invariants.js';
import { csv } from './support/seed.js';

const dataset = csv(40, 3);

/**
 * What a redelivery (AWS) or a restart (embedded) does once the lease of a job left behind has
 * expired: run it again on the healthy stores. Answers the jobs that still did not finish.
 */
async function recover(h: Harness, unfinished: readonly string[]): Promise<string[]> {
  const later = () => new Date(Date.now() + 60_000);
  const deps = { ...h.raw, service: serviceEnvironment('reliability'), now: later, log: () => undefined };
  const left: string[] = [];
  for (const entry of unfinished) {
    const [id, state] = entry.split(':') as [string, string];
    const job = await runJob(deps, id);
    if (job.state !== 'succeeded') left.push(`${state}->${job.state}`);
  }
  return left;
}

describe.each(BACKENDS)('one failed store call on the %s backend', (backend) => {
  it.each<FaultMode>(['before', 'after'])(
    'keeps every invariant and converges on the clean ids whichever call fails (%s the backend acts)',
    async (mode) => {
      const clean = new FaultPlan();
      const cleanHarness = await createHarness(backend, { wrap: (s) => clean.wrap(s) });
      const expected = await runScenario(cleanHarness, dataset).finally(() => cleanHarness.close());
      expect(expected.unexpected).toEqual([]);
      expect(expected.alias.manifestId).toBe(expected.manifests[0]);
      const total = clean.calls.length;
      expect(total).toBeGreaterThan(20);

      const failures: string[] = [];
      const stuck: string[] = [];
      for (let n = 1; n <= total; n += 1) {
        const plan = new FaultPlan(n, mode);
        const h = await createHarness(backend, { wrap: (s) => plan.wrap(s) });
        try {
          const result = await runScenario(h, dataset);
          const at = `call ${n} (${plan.fired ?? clean.calls[n - 1]})`;
          if (!plan.fired) failures.push(`${at}: the fault never fired`);
          failures.push(...result.unexpected.map((u) => `${at}: ${u}`));
          if (JSON.stringify(result.manifests) !== JSON.stringify(expected.manifests))
            failures.push(`${at}: manifests ${result.manifests}`);
          if (result.alias.manifestId !== expected.alias.manifestId)
            failures.push(`${at}: alias at ${result.alias.manifestId}`);
          failures.push(...(await checkInvariants(h.raw, [dataset.sha256])).map((b) => `${at}: ${b}`));
          stuck.push(...(await recover(h, result.unfinishedJobs)).map((job) => `${job}@${plan.fired}`));
        } catch (err) {
          failures.push(`call ${n} (${plan.fired}): ${(err as Error).message}`);
        } finally {
          await h.close();
        }
      }
      expect(failures).toEqual([]);
      // A job the fault left queued or running must finish on the next delivery or restart.
      expect(stuck).toEqual([]);
    },
    900_000,
  );
});
