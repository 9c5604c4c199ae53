/**
 * Fault injection around the real stores: every call to either store is numbered, and the
 * call numbered `failAt` fails once, either before it reaches the backend ("before") or after
 * the backend did it, as if the answer was lost on the way back ("after").
 */
import { BackendUnavailableError } from '../../../functions/core/errors.js';
import type { Stores } from './harness.js';

export type FaultMode = 'before' | 'after';

export class FaultPlan {
  /** Method names in call order, e.g. "lineage.putManifest". */
  readonly calls: string[] = [];
  failAt: number;
  readonly mode: FaultMode;
  /** Which call failed, once it has. */
  fired?: string;

  constructor(failAt = 0, mode: FaultMode = 'before') {
    this.failAt = failAt;
    this.mode = mode;
  }

  /** Wraps both stores; the signed-URL verifier is not I/O and passes through. */
  wrap(stores: Stores): Stores {
    return {
      blobs: this.#wrapOne('blobs', stores.blobs),
      lineage: this.#wrapOne('lineage', stores.lineage),
      catalog: this.#wrapOne('catalog', stores.catalog),
      ...(stores.signedUrls ? { signedUrls: stores.signedUrls } : {}),
    };
  }

  #wrapOne<T extends object>(label: string, target: T): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'close') return value;
        return async (...args: unknown[]) => {
          const name = `${label}.${prop}`;
          this.calls.push(name);
          const strike = this.calls.length === this.failAt;
          if (strike && this.mode === 'before') this.#fire(name);
          // Adapters keep state in #private fields, so the call must see the real object.
          const result = await (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (strike) this.#fire(name);
          return result;
        };
      },
    });
  }

  #fire(name: string): never {
    this.fired = name;
    throw new BackendUnavailableError(`injected fault (${this.mode}) at call ${this.failAt}: ${name}`);
  }
}
