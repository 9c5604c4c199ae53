/**
 * Errors across a thread boundary. Structured cloning keeps an Error's message but not its
 * class or own fields, so a DatasetError thrown in a worker would reach the job as a plain
 * Error and become a 500. A thrown error is sent as plain data instead and rebuilt on this side
 * as the same class, with the same code, kind, message and details, as if thrown in-process.
 */
import * as errors from '../../core/errors.js';
import { SplitvaultError } from '../../core/errors.js';

/** A thrown value as plain, structured-clonable data. */
export interface ThreadError {
  /** The class's name (`DatasetError`, ...) or, for any other value, the Error's own name. */
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Present for the product's own errors (SplitvaultError and its subclasses). */
  readonly splitvault?: {
    readonly kind: errors.ErrorKind;
    readonly code: string;
    readonly details: Readonly<Record<string, unknown>>;
  };
}

type ErrorClass = new (...args: never[]) => SplitvaultError;

/** Every SplitvaultError class of core/errors.ts, by name: the classes a worker can throw. */
const CLASSES: ReadonlyMap<string, ErrorClass> = new Map(
  (Object.values(errors) as unknown[])
    .filter(
      (value): value is ErrorClass =>
        typeof value === 'function' &&
        (value === SplitvaultError || value.prototype instanceof SplitvaultError),
    )
    .map((cls) => [cls.name, cls]),
);

/** The plain form of a thrown value; details that can't be cloned are dropped, not fatal. */
export function toThreadError(error: unknown): ThreadError {
  if (error instanceof SplitvaultError) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      splitvault: { kind: error.kind, code: error.code, details: cloneable(error.details) },
    };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** The error `toThreadError` described: same class, code, kind, message and details. */
export function fromThreadError(plain: ThreadError): Error {
  const own = plain.splitvault;
  if (own) {
    const cls = CLASSES.get(plain.name) ?? SplitvaultError;
    // SplitvaultError's constructor with the subclass's prototype: every subclass only fixes
    // `kind` (and sometimes `code`) and `name`, which the plain form carries already.
    const error = Reflect.construct(
      SplitvaultError,
      [own.kind, own.code, plain.message, { details: own.details }],
      cls,
    ) as SplitvaultError;
    error.name = plain.name;
    if (plain.stack) error.stack = plain.stack;
    return error;
  }
  const error = new Error(plain.message);
  error.name = plain.name;
  if (plain.stack) error.stack = plain.stack;
  return error;
}

/** `details` if structured cloning can carry it, else the message-only form. */
function cloneable(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    structuredClone(details);
    return details;
  } catch {
    return {};
  }
}
