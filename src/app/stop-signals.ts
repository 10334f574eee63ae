// The signals a watcher's reconcile listens to. An apply that starts after SIGTERM reached the watcher
// would never hear it, so a listener added once a signal has arrived hears that signal at once: the
// apply starts nothing new and exits (docs/apply.md#interrupts). A second signal reaches it as it
// reaches any apply (hard stop).
import type { SignalSource } from "../apply/interrupts.js";

type SignalName = "SIGINT" | "SIGTERM";

export interface StopSignals extends SignalSource {
  /** Stops listening to the source. */
  dispose(): void;
}

export function stickySignals(source: SignalSource, onSignal: (name: SignalName) => void): StopSignals {
  const listeners: Record<SignalName, Set<() => void>> = { SIGINT: new Set(), SIGTERM: new Set() };
  let received: SignalName | null = null;
  const forward = (name: SignalName) => () => {
    received = name;
    onSignal(name);
    for (const listener of [...listeners[name]]) listener();
  };
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  source.on("SIGINT", onInt);
  source.on("SIGTERM", onTerm);
  return {
    on(name, listener) {
      listeners[name].add(listener);
      // Replayed once, to the listeners of the signal that came (a listener of both hears one).
      if (received === name) queueMicrotask(() => listeners[name].has(listener) && listener());
      return this;
    },
    off(name, listener) {
      listeners[name].delete(listener);
      return this;
    },
    dispose() {
      source.off("SIGINT", onInt);
      source.off("SIGTERM", onTerm);
    },
  };
}
