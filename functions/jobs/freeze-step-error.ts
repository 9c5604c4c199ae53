/**
 * How a step's typed error crosses Step Functions to the fail step. A Lambda's error reaches
 * the state machine as `Error` (the thrown error's name) and `Cause` (JSON of errorType,
 * errorMessage and trace), and nothing else of the object survives. So a step throws a
 * FreezeStepError named after the stable code (retry rules can match it, and DATASET.* is
 * never retried) whose message is the problem the job will carry; the fail step reads it
 * back. Anything else (a Lambda timeout, out of memory, States.*) becomes INTERNAL with the
 * error's name in the detail.
 */
import { Problem } from '../../schemas/records.js';
import { toProblem } from '../api/problem.js';

/** A step's failure, thrown out of runFreezeStep: name = the problem's code, message = its JSON. */
export class FreezeStepError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem, options?: { readonly cause?: unknown }) {
    super(JSON.stringify(fitted(problem)), options);
    this.name = problem.code;
    this.problem = problem;
    // The runtime puts the trace in the Cause beside the message: its first line would repeat
    // the whole message (JSON has no raw newline, so the first line is all of it).
    const frames = (this.stack ?? '').split('\n').slice(1);
    this.stack = [`${problem.code}: the problem is the errorMessage`, ...frames].join('\n');
  }
}

/**
 * Step Functions keeps at most 32,768 characters of a Cause, which holds the message escaped
 * once more (every quote and backslash doubles) beside the trace. A problem's message is fitted
 * to MAX_PROBLEM_CHARS as the Cause holds it: under half the limit, so even a trace that
 * repeated the message would fit. Its lists are cut first (the job then lacks only some
 * examples), then its detail; type, title, status and code are always kept, and first.
 */
export const MAX_PROBLEM_CHARS = 15_360;

/** Characters of a long string in a list entry that a fitted problem keeps. */
const ENTRY_CHARS = 200;

const causeChars = (problem: Problem) => JSON.stringify(JSON.stringify(problem)).length;

/** The problem with its short fields first, so even a cut Cause still names them. */
function ordered(problem: Problem): Problem {
  const { type, title, status, code, detail, ...lists } = problem;
  return { type, title, status, code, ...(detail === undefined ? {} : { detail }), ...lists };
}

/** The problem keeping `count` entries of each list, long strings in them cut. */
function withLists(problem: Problem, count: number): Problem {
  const cut = (text: string) => (text.length > ENTRY_CHARS ? `${text.slice(0, ENTRY_CHARS)}…` : text);
  const { errors, candidates, duplicates, testLeak } = problem;
  return {
    ...problem,
    ...(errors
      ? { errors: errors.slice(0, count).map((e) => ({ path: cut(e.path), message: cut(e.message) })) }
      : {}),
    ...(candidates ? { candidates: candidates.slice(0, count).map(cut) } : {}),
    ...(duplicates ? { duplicates: duplicates.slice(0, count) } : {}),
    ...(testLeak ? { testLeak: { ...testLeak, examples: testLeak.examples.slice(0, count) } } : {}),
  };
}

function fitted(problem: Problem): Problem {
  const whole = ordered(problem);
  if (causeChars(whole) <= MAX_PROBLEM_CHARS) return whole;
  // The most list entries that fit (binary search: fewer entries are never longer).
  const { errors, candidates, duplicates, testLeak } = whole;
  let low = 0;
  let high = Math.max(
    errors?.length ?? 0,
    candidates?.length ?? 0,
    duplicates?.length ?? 0,
    testLeak?.examples.length ?? 0,
  );
  if (causeChars(withLists(whole, 0)) <= MAX_PROBLEM_CHARS) {
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (causeChars(withLists(whole, mid)) <= MAX_PROBLEM_CHARS) low = mid;
      else high = mid - 1;
    }
    return withLists(whole, low);
  }
  // Even the bare fields are too long: a detail of thousands of escaped characters.
  const { type, title, status, code, detail } = whole;
  return { type, title, status, code, ...(detail === undefined ? {} : { detail: detail.slice(0, 2_048) }) };
}

/** The error a step throws for `error` (already one: unchanged). */
export function stepError(error: unknown): FreezeStepError {
  return error instanceof FreezeStepError ? error : new FreezeStepError(toProblem(error), { cause: error });
}

/** What a Catch hands the fail step. */
export interface CaughtError {
  readonly Error?: string;
  readonly Cause?: string;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The problem a caught step error stands for (docs/RELIABILITY.md, "the AWS freeze's steps"). */
export function problemOfCaught(caught: CaughtError): Problem {
  const cause = parseJson(caught.Cause);
  // A Lambda's Cause wraps the message; an in-process runner may hand the message itself.
  const wrapped = (cause as { errorMessage?: unknown } | undefined)?.errorMessage;
  const candidate = typeof wrapped === 'string' ? parseJson(wrapped) : cause;
  const parsed = Problem.safeParse(candidate);
  if (parsed.success && (caught.Error === undefined || parsed.data.code === caught.Error)) return parsed.data;
  const salvaged = cause === undefined ? headOfCutCause(caught) : undefined;
  if (salvaged) return salvaged;
  const message = typeof wrapped === 'string' ? wrapped : (caught.Cause ?? '');
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    code: 'INTERNAL',
    detail: `a step of the freeze failed with ${caught.Error ?? 'an unknown error'}${message ? `: ${message.slice(0, 500)}` : ''}`,
  };
}

/** A fitted problem's first fields as a Lambda Cause holds them (escaped in errorMessage). */
const CUT_HEAD =
  /^\{"errorType":"[^"\\]*","errorMessage":"\{\\"type\\":\\"([^"\\]*)\\",\\"title\\":\\"([^"\\]*)\\",\\"status\\":(\d{3}),\\"code\\":\\"([^"\\]*)\\"/;

/**
 * The problem a Cause cut short still names: type, title, status and code come first in every
 * step's message (ordered above), so they survive any cut past them; the lists and detail are
 * lost. Only a code the Error names too is believed.
 */
function headOfCutCause(caught: CaughtError): Problem | undefined {
  const head = CUT_HEAD.exec(caught.Cause ?? '');
  if (!head || head[4] !== caught.Error) return undefined;
  return {
    type: head[1]!,
    title: head[2]!,
    status: Number(head[3]),
    code: head[4]!,
    detail: 'the step failed with this problem, cut short on its way to the fail step',
  };
}
