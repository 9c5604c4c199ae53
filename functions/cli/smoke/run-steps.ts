/** One step of a check: a name for the report and work that throws when the step fails. */
export interface Step<S> {
  readonly name: string;
  /** Returns a short note for the report (what was checked), or undefined. */
  run(state: S): Promise<string | undefined>;
  /** A reason to leave the step out (e.g. nothing to check on this deployment). */
  readonly skip?: (state: S) => string | undefined;
}

export interface StepReport {
  readonly name: string;
  readonly status: 'ok' | 'FAIL' | 'skipped';
  readonly ms: number;
  readonly detail?: string;
}

/**
 * Runs steps in order, timing each. Later steps build on what earlier ones made, so the first
 * failure ends the run and the remaining steps are reported as skipped.
 */
export async function runSteps<S>(steps: readonly Step<S>[], state: S): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  let failed = false;
  for (const step of steps) {
    const skipped = failed ? 'an earlier step failed' : step.skip?.(state);
    if (skipped !== undefined) {
      reports.push({ name: step.name, status: 'skipped', ms: 0, detail: skipped });
      continue;
    }
    const started = performance.now();
    try {
      const detail = await step.run(state);
      reports.push({ name: step.name, status: 'ok', ms: elapsed(started), ...(detail ? { detail } : {}) });
    } catch (error) {
      failed = true;
      reports.push({ name: step.name, status: 'FAIL', ms: elapsed(started), detail: messageOf(error) });
    }
  }
  return reports;
}

const elapsed = (started: number) => Math.round(performance.now() - started);

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}

/** Thrown by a step whose check did not hold. */
export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** Fails the step with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailedError(message);
}
