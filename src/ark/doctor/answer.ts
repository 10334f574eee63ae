// One answer `ark-sync doctor` got from Ark, kept whole whether it succeeded or failed, so that every
// check can judge it, and the small readers the judges share (docs/commands.md#doctor).
import { isArkApiError } from "../errors.js";

export type Answer<T = Record<string, unknown>> = { ok: true; value: T } | { ok: false; error: unknown };

/** The call's result or what it threw, never a rejection. */
export async function attempt<T>(call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** How a failed call reads in a row: Ark's code, HTTP status, message and RequestId (never a credential). */
export function describeFailure(error: unknown): string {
  if (isArkApiError(error)) return error.message.replace(/^Ark \w+ failed \(\w+\): /, "");
  return error instanceof Error ? error.message : String(error);
}

/** Ark's error code of a failed call, when it has one. */
export function codeOf(error: unknown): string | undefined {
  return isArkApiError(error) ? error.arkCode : undefined;
}

/** An object member of a raw answer, or undefined. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A value as it appears in an answer column: strings quoted, the rest as JSON. */
export function shown(value: unknown): string {
  return value === undefined ? "absent" : JSON.stringify(value);
}
