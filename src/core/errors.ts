// Errors that carry a stable code and who is at fault, so the CLI can print a message and a hint
// (and a stack only with --debug) and pick the exit code.

/** usage: bad flags or arguments; input: bad manifests, state or plan files; external: Ark, git,
 * GitHub; internal: a bug in ark-sync. */
export type ErrorKind = "usage" | "input" | "external" | "internal";

export class ArkSyncError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ArkSyncError";
    this.kind = kind;
    this.code = code;
    this.hint = options.hint;
  }
}

export function isArkSyncError(error: unknown): error is ArkSyncError {
  return error instanceof ArkSyncError;
}
