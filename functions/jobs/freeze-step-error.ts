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
  }
}

/**
 * Step Functions keeps at most 32,768 characters of a Cause, and the Lambda runtime adds the
 * trace to the message: a problem whose JSON passes MAX_PROBLEM_CHARS keeps its code, status
 * and a shortened detail, and drops its lists (the job then lacks only the examples).
 */
export const MAX_PROBLEM_CHARS = 16_384;

function fitted(problem: Problem): Problem {
  if (JSON.stringify(problem).length <= MAX_PROBLEM_CHARS) return problem;
  const { type, title, status, code, detail } = problem;
  return { type, title, status, code, ...(detail === undefined ? {} : { detail: detail.slice(0, 4_096) }) };
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
  const message = typeof wrapped === 'string' ? wrapped : (caught.Cause ?? '');
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    code: 'INTERNAL',
    detail: `a step of the freeze failed with ${caught.Error ?? 'an unknown error'}${message ? `: ${message.slice(0, 500)}` : ''}`,
  };
}
