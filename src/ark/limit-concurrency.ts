// Bounded concurrency for Ark calls (--parallelism): at most `limit` tasks run at once, the rest
// wait in arrival order.

import { ArkSyncError } from "../core/errors.js";

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ArkSyncError(
      "usage",
      "invalid_parallelism",
      `--parallelism must be a positive integer, got ${limit}.`,
    );
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so `running` never overshoots.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
