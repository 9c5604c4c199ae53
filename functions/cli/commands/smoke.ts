import type { CommandContext, CommandResult } from '../context.js';
import { runSteps, type StepReport } from '../smoke/run-steps.js';
import { smokeData } from '../smoke/smoke-data.js';
import { SMOKE_STEPS, type SmokeState } from '../smoke/smoke-steps.js';

export interface SmokeOptions {
  /** How the client proves who it is; anything but 'none' adds the unauthenticated-refusal check. */
  readonly auth: SmokeState['auth'];
  /** For presigned URLs and the unauthenticated probe. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * `splitvault smoke`: proves a deployment works end to end with a dataset of its own. Every
 * record it makes is either content-addressed (dataset, manifests, split files) or append-only
 * (its alias's history, audit entries), under an alias no one else uses; it changes nothing
 * that existed before. Exit 1 when any step fails.
 */
export async function smokeCommand(ctx: CommandContext, options: SmokeOptions): Promise<CommandResult> {
  const state: SmokeState = {
    client: ctx.client,
    fetch: options.fetch ?? globalThis.fetch,
    data: smokeData(),
    auth: options.auth,
    manifests: [],
    moves: [],
  };
  const started = performance.now();
  const steps = await runSteps(SMOKE_STEPS, state);
  const ok = steps.every((step) => step.status !== 'FAIL');
  const leftBehind = {
    dataset: state.data.sha256,
    manifests: state.manifests.map((manifest) => manifest.id),
    alias: state.moves.length > 0 ? state.data.runId : undefined,
  };
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const text = [
    `splitvault smoke against ${ctx.client.baseUrl} (run ${state.data.runId})`,
    ...steps.map(stepLine),
    ok
      ? `PASS: ${steps.filter((s) => s.status === 'ok').length} steps in ${seconds} s`
      : `FAIL: ${steps.find((s) => s.status === 'FAIL')?.name} (after ${seconds} s)`,
    leftBehindText(leftBehind),
  ].join('\n');
  return {
    data: { ok, url: ctx.client.baseUrl, runId: state.data.runId, steps, leftBehind },
    text,
    exitCode: ok ? 0 : 1,
  };
}

function stepLine(step: StepReport): string {
  const ms = step.status === 'skipped' ? '' : `${step.ms} ms`;
  return `${step.name.padEnd(17)}${step.status.padEnd(8)}${ms.padStart(9)}  ${step.detail ?? ''}`.trimEnd();
}

function leftBehindText(left: { dataset: string; manifests: string[]; alias: string | undefined }): string {
  const records = [`dataset ${left.dataset}`];
  if (left.manifests.length > 0) records.push(`manifests ${left.manifests.join(', ')} and their split files`);
  if (left.alias) records.push(`alias ${left.alias} with its move history and audit entries`);
  return [
    `Left behind, all immutable or append-only: ${records.join('; ')}.`,
    'Nothing that existed before this run was changed.',
  ].join('\n');
}
