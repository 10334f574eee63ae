// Client-side rate awareness (AWS's "adaptive" retry mode, simplified): unpaced until Ark throttles;
// then calls are spaced to a little under the rate Ark was accepting, and the rate creeps back up by
// about one request per second each second until Ark throttles again. Throttled requests are wasted
// round trips and, under a burst, can exhaust a call's attempts; pacing keeps them rare.
import { setTimeout as delay } from "node:timers/promises";

export interface Pacer {
  /** Waits for this call's turn; rejects with an AbortError when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** A call got an answer other than a throttle. */
  succeeded(): void;
  /** Ark answered `count` requests with a throttling error. */
  throttled(count: number): void;
  /** Requests per second now, or null while unpaced. */
  rate(): number | null;
}

export interface PacerOptions {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Multiplier applied to the accepted rate on a throttle. Default 0.85. */
  decrease?: number;
  /** Rate added per second of successes. Default 1 request/s. */
  increasePerSecond?: number;
  /** Floor of the rate. Default 2 requests/s. */
  minRate?: number;
}

/** The window over which the accepted rate is measured, and the pause between two cuts. */
const windowMs = 1000;

export function createPacer(options: PacerOptions = {}): Pacer {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const decrease = options.decrease ?? 0.85;
  const increase = options.increasePerSecond ?? 1;
  const minRate = options.minRate ?? 2;
  let rate: number | null = null;
  let nextSlot = 0;
  let lastCut = Number.NEGATIVE_INFINITY;
  const successes: number[] = [];

  const accepted = (at: number): number => {
    while (successes.length > 0 && (successes[0] as number) <= at - windowMs) successes.shift();
    return successes.length;
  };

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      if (rate === null) return;
      const at = now();
      const slot = Math.max(at, nextSlot);
      nextSlot = slot + 1000 / rate;
      if (slot > at) await sleep(slot - at, signal);
    },
    succeeded() {
      const at = now();
      successes.push(at);
      accepted(at);
      if (rate !== null) rate += increase / rate;
    },
    throttled(count) {
      if (count <= 0) return;
      const at = now();
      // Throttles answered within a window of the last cut were sent before it took effect.
      if (at - lastCut < windowMs) return;
      lastCut = at;
      const measured = accepted(at);
      const base = measured > 0 ? Math.min(rate ?? measured, measured) : (rate ?? 10);
      rate = Math.max(minRate, base * decrease);
    },
    rate: () => rate,
  };
}
