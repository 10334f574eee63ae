// How an interrupted step shows up: a call that was never sent, or a retry that was cut short.

/** The step was not started because apply is stopping; nothing was sent to Ark for it. */
export class NotStartedError extends Error {
  constructor() {
    super("not started: apply is stopping");
    this.name = "NotStartedError";
  }
}

export function isNotStarted(error: unknown): error is NotStartedError {
  return error instanceof NotStartedError;
}

/** An abortable wait (a retry's backoff, the pacer) was cut short. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
