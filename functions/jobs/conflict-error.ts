import { SplitvaultError, type SplitvaultErrorOptions } from '../core/errors.js';

/** A request that is well formed but clashes with current state (e.g. dataset not uploaded). */
export class ConflictError extends SplitvaultError {
  constructor(code: string, message: string, options?: SplitvaultErrorOptions) {
    super('conflict', code, message, options);
    this.name = 'ConflictError';
  }
}
