import { describe, expect, it } from 'vitest';
import { type FaultMode, FaultPlan } from './support/fault-plan.js';
import { runScenario } from './support/fault-scenario.js';
import { BACKENDS, createHarness } from './support/harness.js';
import { checkInvariants } from './support/invariants.js';
import { csv } from './support/seed.js';

const dataset = csv(40, 3);

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
          stuck.push(...result.unfinishedJobs.map((job) => `${job.split(':')[1]}@${plan.fired}`));
        } catch (err) {
          failures.push(`call ${n} (${plan.fired}): ${(err as Error).message}`);
        } finally {
          await h.close();
        }
      }
      expect(failures).toEqual([]);
      // A job the worker never started stays queued (a redelivery runs it). One left running
      // is a known gap, allowed only when the store failed while recording the job's own
      // state; its resubmission converged above, and no partial manifest exists.
      expect(stuck.filter((s) => !s.startsWith('queued@') && s !== 'running@lineage.updateJob')).toEqual([]);
    },
    900_000,
  );
});
