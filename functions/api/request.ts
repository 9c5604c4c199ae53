/**
 * Reads requests through zod once, at the edge. Every problem zod finds is listed, so a
 * client fixes a bad body in one round trip.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { PART_TOO_LARGE } from '../../schemas/api.js';
import { IRRELEVANT_FIELD } from '../../schemas/spec.js';
import { TooLargeError, ValidationError } from '../core/errors.js';
import type { AppEnv } from './context.js';
import { assertSafeJson } from './json-guard.js';

/**
 * Turns a zod failure into a ValidationError listing each path and message, or a 413
 * TooLargeError when a part is over its stored-size limit (schemas/api.ts).
 */
export function invalidInput(where: string, error: z.ZodError): ValidationError | TooLargeError {
  const errors = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  const tooLarge = error.issues.some(
    (issue) => issue.code === 'custom' && issue.params?.code === PART_TOO_LARGE,
  );
  if (tooLarge)
    return new TooLargeError(PART_TOO_LARGE, `${where} too large: ${summary}`, { details: { errors } });
  // A field the split would ignore gets its own code, so a client can tell it from a typo.
  const irrelevant = error.issues.some(
    (issue) => issue.code === 'custom' && issue.params?.code === IRRELEVANT_FIELD,
  );
  const code = irrelevant ? IRRELEVANT_FIELD : 'REQUEST.INVALID';
  return new ValidationError(code, `invalid ${where}: ${summary}`, { details: { errors } });
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(where, result.error);
  return result.data;
}

/** The JSON body, after the content type check (415) and the body limit middleware. */
export async function readJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new ValidationError(
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      `expected content-type application/json, got ${JSON.stringify(type || '(none)')}`,
    );
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (cause) {
    throw new ValidationError('REQUEST.MALFORMED_JSON', 'request body is not valid JSON', { cause });
  }
  assertSafeJson(body);
  return parseWith(schema, body, 'request body');
}

export function readQuery<T extends z.ZodType>(c: Context<AppEnv>, schema: T): z.output<T> {
  return parseWith(schema, c.req.query(), 'query');
}

export function readParams<T extends z.ZodType>(c: Context<AppEnv>, schema: T): z.output<T> {
  return parseWith(schema, c.req.param(), 'path');
}
