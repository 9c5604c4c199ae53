/**
 * A step's problem crosses Step Functions as the Lambda error's Cause, which Step Functions
 * keeps to 32,768 characters. freeze-step-error.ts fits a problem to MAX_PROBLEM_CHARS (16,384)
 * of JSON, but the Lambda runtime's Cause holds that JSON twice (errorMessage, and the trace's
 * first line "Name: message") and escapes it once more, so a problem under the limit whose
 * messages quote cell values (quotes, backslashes) comes to a Cause past 32,768 characters:
 * cut there, it no longer parses, and the job fails INTERNAL 500 instead of its DATASET code.
 */
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../functions/core/errors.js';
import { problemOfCaught, stepError } from '../../functions/jobs/freeze-step-error.js';
import { caughtFromLambda } from '../conformance/freeze-steps-driver.js';

/** What Step Functions keeps of an error's Cause. */
const CAUSE_LIMIT = 32_768;

describe('a step error whose problem quotes cell values', () => {
  it('reaches the fail step with its dataset code after Step Functions cuts the Cause to its limit', () => {
    // 175 examples quoting a cell of quotes and backslashes (a Windows path in a CSV, say).
    const errors = Array.from({ length: 175 }, (_, i) => ({
      path: `row ${i * 1000 + 7}`,
      message: `"C:\\data\\run ${i}\\"quoted\\" name" is not an int64`,
    }));
    const error = stepError(
      new DatasetError('DATASET.TYPE_MISMATCH', 'column "at" holds values that are not int64', {
        details: { errors },
      }),
    );
    expect(JSON.stringify(error.problem).length).toBeLessThan(16_384);
    const caught = caughtFromLambda(error);
    const kept = { Error: caught.Error, Cause: caught.Cause.slice(0, CAUSE_LIMIT) };
    expect(problemOfCaught(kept)).toMatchObject({ code: 'DATASET.TYPE_MISMATCH', status: 422 });
  });
});
