// The watcher's loop: one look at a time (so never two reconciles at once: a look that is due while
// one runs is the next look), then a wait (src/core/watch-schedule.ts) that a stop cuts short.
import { nextWait, type WatchSchedule } from "../core/watch-schedule.js";

/** idle: nothing was due; succeeded / failed: a reconcile (or the fetch before it) ended so. */
export type LookOutcome = "idle" | "succeeded" | "failed";

export interface WatchLoopOptions {
  schedule: WatchSchedule;
  /** One look: fetch if needed, reconcile if due. Must not throw. */
  look(): Promise<LookOutcome>;
  /** Aborted to stop: the look in flight ends, no new one starts. */
  signal: AbortSignal;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1), for the jitter. */
  random(): number;
}

export async function runWatchLoop(options: WatchLoopOptions): Promise<void> {
  let failures = 0;
  while (!options.signal.aborted) {
    switch (await options.look()) {
      case "succeeded":
        failures = 0;
        break;
      case "failed":
        failures += 1;
        break;
      case "idle":
        break;
    }
    if (options.signal.aborted) return;
    await options.wait(nextWait(options.schedule, failures, options.random()), options.signal);
  }
}

/** A wait on the timers that a stop cuts short. */
export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
