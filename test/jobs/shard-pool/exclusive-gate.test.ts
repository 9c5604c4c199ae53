import { describe, expect, it } from 'vitest';
import { ExclusiveGate } from '../../../functions/handlers/shard-pool/exclusive-gate.js';

/** A step that records how many steps ran beside it, and ends when told. */
function stepper() {
  let running = 0;
  const seen: number[] = [];
  const ends: (() => void)[] = [];
  const step = () =>
    new Promise<void>((resolve) => {
      running++;
      seen.push(running);
      ends.push(() => {
        running--;
        resolve();
      });
    });
  return { step, seen, ends };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the gate of a pool’s shard steps', () => {
  it('runs an exclusive step only once the shared ones have ended, and holds new shared ones back until it ends', async () => {
    const gate = new ExclusiveGate();
    const { step, seen, ends } = stepper();
    const a = gate.shared(step);
    const b = gate.shared(step);
    await tick();
    const alone = gate.exclusive(step);
    const later = gate.shared(step);
    await tick();
    expect(seen).toEqual([1, 2]);
    ends.shift()!();
    ends.shift()!();
    await Promise.all([a, b]);
    await tick();
    expect(seen).toEqual([1, 2, 1]);
    ends.shift()!();
    await alone;
    await tick();
    expect(seen).toEqual([1, 2, 1, 1]);
    ends.shift()!();
    await later;
  });

  it('runs two exclusive steps one after the other', async () => {
    const gate = new ExclusiveGate();
    const { step, seen, ends } = stepper();
    const first = gate.exclusive(step);
    const second = gate.exclusive(step);
    await tick();
    expect(seen).toEqual([1]);
    ends.shift()!();
    await first;
    await tick();
    ends.shift()!();
    await second;
    expect(seen).toEqual([1, 1]);
  });
});
