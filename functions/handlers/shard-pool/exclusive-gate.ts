/**
 * Shared and exclusive turns for a pool's shard steps: many shared steps run at once, an
 * exclusive one runs with none other running. A waiting exclusive step holds new shared ones
 * back, so it is never starved by a stream of them.
 */
export class ExclusiveGate {
  #shared = 0;
  #exclusive = false;
  #waitingExclusive = 0;
  readonly #wakers = new Set<() => void>();

  /** Runs `step` alongside other shared steps, once no exclusive one runs or waits. */
  async shared<T>(step: () => Promise<T>): Promise<T> {
    await this.#acquire(
      () => !this.#exclusive && this.#waitingExclusive === 0,
      () => this.#shared++,
    );
    try {
      return await step();
    } finally {
      this.#shared--;
      this.#wake();
    }
  }

  /** Runs `step` with no other step (shared or exclusive) running. */
  async exclusive<T>(step: () => Promise<T>): Promise<T> {
    this.#waitingExclusive++;
    await this.#acquire(
      () => !this.#exclusive && this.#shared === 0,
      () => {
        this.#waitingExclusive--;
        this.#exclusive = true;
      },
    );
    try {
      return await step();
    } finally {
      this.#exclusive = false;
      this.#wake();
    }
  }

  /** Waits until `ready`, then `claim`s the turn in the same synchronous step, so no other waiter slips in between. */
  async #acquire(ready: () => boolean, claim: () => void): Promise<void> {
    while (!ready()) {
      await new Promise<void>((resolve) => {
        this.#wakers.add(resolve);
      });
    }
    claim();
  }

  #wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) wake();
  }
}
