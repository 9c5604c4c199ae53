/**
 * Runs the synthesized freeze state machine in aws-local-stepfunctions, an open-source ASL
 * interpreter, with every Task answered by the real freeze step handler in this process.
 *
 * The interpreter runs the definition as synthesized (states, transitions, Parameters,
 * ItemSelector, ItemProcessor, the Parallel combine's branches, ResultPath and OutputPath, Retry
 * and Catch, Fail) but not two
 * things of a Distributed Map, so the definition it is given differs from the deployed one in
 * exactly these, and only here:
 *  1. ItemReader: the interpreter has none. Each map's ItemReader becomes
 *     `ItemsPath: $.plan.loadedItems`, a list the Plan task's override reads from S3 with the
 *     Bucket and `Key.$` of that same ItemReader, as Step Functions would.
 *  2. A failed child: the interpreter hands the child's own error to the map's Catch; Step
 *     Functions fails the map with States.ExceedToleratedFailureThreshold and a generic cause.
 *     Each item processor's task gains a Catch to a Fail state raising that error, after its
 *     own Retry has run, so the parent sees what it would see on AWS.
 * What this leaves to template assertions only is listed in RELIABILITY.md ("The freeze state
 * machine on AWS").
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { createFreezeStepHandler } from '../../functions/handlers/freeze-step-handler.js';
import {
  COORDINATOR_PHASES,
  type FreezeStepDeps,
  SHARD_PHASES,
} from '../../functions/jobs/freeze-steps-job.js';

/**
 * aws-local-stepfunctions 3 is built for Node 22 and calls Promise.withResolvers, which Node 20
 * (where this suite also runs) lacks; the same three lines stand in for it there.
 */
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  });
}

type State = Record<string, unknown> & { Type: string };
type Definition = { StartAt: string; States: Record<string, State> };

/** The error Step Functions gives a Distributed Map whose child failed (tolerance 0). */
export const MAP_RUN_FAILED = 'States.ExceedToleratedFailureThreshold';

/** What the machine's own Lambda functions are, by ARN in the resolved definition. */
export interface LocalFunctions {
  readonly coordinatorArn: string;
  readonly shardArn: string;
}

/**
 * A hook before each invoke: throw to stand for a failed invoke (e.g. throttling), or change
 * the backends first (a tamperer's write between two steps).
 */
export type InvokeHook = (state: string, event: Record<string, unknown>) => void | Promise<void>;

/** Every invoke the run made, in order. */
export interface Invocation {
  readonly state: string;
  readonly event: Record<string, unknown>;
  readonly outcome: 'ok' | string;
  /** The handler's answer, when it answered. */
  readonly result?: Record<string, unknown>;
}

/** The two documented changes above; everything else is the synthesized definition. */
export function forInterpreter(definition: Record<string, unknown>): {
  definition: Definition;
  itemReaders: Record<string, { Bucket: string; 'Key.$': string }>;
} {
  const copy = structuredClone(definition) as Definition;
  const itemReaders: Record<string, { Bucket: string; 'Key.$': string }> = {};
  for (const [name, state] of Object.entries(copy.States)) {
    const reader = state.ItemReader as { Parameters: { Bucket: string; 'Key.$': string } } | undefined;
    if (!reader) continue;
    itemReaders[name] = reader.Parameters;
    delete state.ItemReader;
    state.ItemsPath = '$.plan.loadedItems';
    const processor = state.ItemProcessor as Definition;
    for (const inner of Object.values(processor.States)) {
      if (inner.Type !== 'Task') continue;
      inner.Catch = [
        ...((inner.Catch as unknown[]) ?? []),
        { ErrorEquals: ['States.ALL'], Next: `${name}RunFailed` },
      ];
    }
    // State names are unique across the whole definition, nested ones included.
    processor.States[`${name}RunFailed`] = {
      Type: 'Fail',
      Error: MAP_RUN_FAILED,
      Cause: 'The specified tolerated failure threshold was exceeded',
    };
  }
  return { definition: copy, itemReaders };
}

/** The value of a simple JSONPath (`$.a.b.c`) in `value`. */
function at(path: string, value: unknown): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/** What a Lambda error looks like to Step Functions: Error = errorType, Cause = the runtime's JSON. */
function asLambdaError(error: unknown): Error {
  const e = error as Error;
  const lambdaError = new Error(
    JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
  );
  lambdaError.name = e.name;
  return lambdaError;
}

export interface LocalRunOptions {
  readonly deps: FreezeStepDeps;
  readonly s3: S3Client;
  readonly functions: LocalFunctions;
  readonly hook?: InvokeHook;
}

/**
 * Runs the machine for one job. Answers the execution's outcome (its output, or the error of
 * the state that ended it) and every invoke the tasks made.
 */
export async function runLocally(
  synthesized: Record<string, unknown>,
  jobId: string,
  options: LocalRunOptions,
): Promise<{ output?: unknown; error?: { name: string; cause?: string }; invocations: Invocation[] }> {
  const { definition, itemReaders } = forInterpreter(synthesized);
  const handlers = {
    [options.functions.coordinatorArn]: createFreezeStepHandler(options.deps, COORDINATOR_PHASES),
    [options.functions.shardArn]: createFreezeStepHandler(options.deps, SHARD_PHASES),
  };
  const invocations: Invocation[] = [];
  const readerOf = Object.values(itemReaders)[0];
  const tasks: Record<string, State> = {};
  const retryable: Record<string, number> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    // A map's item processor and a Parallel's branches hold tasks of their own.
    const nested = [state.ItemProcessor, ...((state.Branches as unknown[] | undefined) ?? [])] as (
      | Definition
      | undefined
    )[];
    const inner = nested.flatMap((d) => Object.entries(d?.States ?? {}));
    for (const [innerName, innerState] of [[name, state] as const, ...inner]) {
      if (innerState.Type === 'Task') tasks[innerName] = innerState;
      if (innerState.Retry) retryable[innerName] = 0;
    }
  }
  const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, task] of Object.entries(tasks)) {
    const handler = handlers[task.Resource as string];
    if (!handler) throw new Error(`task ${name} invokes ${String(task.Resource)}, not a freeze function`);
    overrides[name] = async (input) => {
      const event = input as Record<string, unknown>;
      try {
        await options.hook?.(name, event);
        // Lambda answers JSON: whatever the handler returns crosses as its serialization.
        let result = JSON.parse(JSON.stringify(await handler(event))) as Record<string, unknown>;
        if ((task.Parameters as { phase?: unknown } | undefined)?.phase === 'plan' && readerOf)
          result = { ...result, loadedItems: await readItems(result) };
        invocations.push({ state: name, event, outcome: 'ok', result });
        return result;
      } catch (error) {
        invocations.push({ state: name, event, outcome: (error as Error).name });
        throw asLambdaError(error);
      }
    };
  }
  /** What each map's ItemReader reads: its Bucket, and its Key.$ applied to the state after Plan. */
  const readItems = async (planResult: unknown) => {
    const reader = readerOf!;
    for (const other of Object.values(itemReaders)) {
      if (JSON.stringify(other) !== JSON.stringify(reader))
        throw new Error('the maps read different item lists');
    }
    const key = at(reader['Key.$'], { jobId, plan: planResult });
    const object = await options.s3.send(new GetObjectCommand({ Bucket: reader.Bucket, Key: String(key) }));
    return JSON.parse(await object.Body!.transformToString()) as unknown[];
  };
  const run: RunOptions = {
    overrides: {
      taskResourceLocalHandlers: overrides as NonNullable<
        RunOptions['overrides']
      >['taskResourceLocalHandlers'],
      // Backoff is asserted on the template; here a retry happens at once.
      retryIntervalOverrides: retryable,
    },
  };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const execution = machine.run({ jobId }, run);
  try {
    return { output: await execution.result, invocations };
  } catch (error) {
    const cause = (error as { cause?: { name?: string; message?: string } }).cause;
    return { error: { name: cause?.name ?? (error as Error).name, cause: cause?.message }, invocations };
  }
}
