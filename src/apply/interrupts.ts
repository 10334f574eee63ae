// SIGINT / SIGTERM during apply (docs/design.md §6, Terraform's behaviour): the first one aborts `signal`, so
// nothing new starts while calls in flight finish, and starts a grace period; a second one, or the end
// of the grace period, asks for a hard stop (write state, exit now). GitHub Actions sends SIGINT, then
// SIGTERM 7.5 s later and kills 2.5 s after that: the grace period plus the final write fit before.
import { setMaxListeners } from "node:events";

/** Where SIGINT and SIGTERM arrive: the process, or an EventEmitter in tests. */
export interface SignalSource {
  on(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

export interface InterruptOptions {
  signals: SignalSource;
  write(text: string): void;
  /** Time after the first interrupt before a hard stop. */
  graceMs: number;
  /** Called once: on the second interrupt, or when the grace period ends first. */
  onHardStop(reason: string): void;
}

export interface Interrupts {
  /** Aborted on the first interrupt, or by `stop`. */
  readonly signal: AbortSignal;
  /** Whether an interrupt (not `stop`) aborted the signal. */
  interrupted(): boolean;
  /** Aborts the signal without an interrupt, e.g. when state cannot be written. */
  stop(): void;
  /** Removes the listeners and cancels the grace period. */
  dispose(): void;
}

export function listenForInterrupts(options: InterruptOptions): Interrupts {
  const controller = new AbortController();
  // Every wait of the run (retries, pacing) listens to this signal; hundreds at once are expected.
  setMaxListeners(0, controller.signal);
  let count = 0;
  let grace: NodeJS.Timeout | null = null;
  let hardStopped = false;
  const hardStop = (reason: string) => {
    if (hardStopped) return;
    hardStopped = true;
    if (grace) clearTimeout(grace);
    options.onHardStop(reason);
  };
  const onSignal = () => {
    count += 1;
    if (count > 1) {
      hardStop("Second interrupt received");
      return;
    }
    options.write(
      "\nInterrupt received. Gracefully shutting down...\n" +
        "Nothing new is started; calls to Ark in flight are allowed to finish. Interrupt again to stop at once (state is still written).\n",
    );
    controller.abort();
    grace = setTimeout(
      () => hardStop(`Calls in flight did not finish within ${options.graceMs / 1000}s`),
      options.graceMs,
    );
    grace.unref();
  };
  options.signals.on("SIGINT", onSignal);
  options.signals.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    interrupted: () => count > 0,
    stop: () => controller.abort(),
    dispose() {
      options.signals.off("SIGINT", onSignal);
      options.signals.off("SIGTERM", onSignal);
      if (grace) clearTimeout(grace);
    },
  };
}
