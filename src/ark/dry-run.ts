// DryRun requests (docs/ark-api.md, DryRun): Ark answers a check that would pass with the error
// `DryRunOperation` (HTTP 400), and a check that fails with the error the real request would get. A
// success answer means Ark ignored DryRun and acted: what it made is deleted at once, and the caller
// is told, so that it sends no further DryRun.
import { ArkSyncError } from "../core/errors.js";
import type { ArkAction } from "./actions.js";
import type { DryRunUndo } from "./dry-run-undo.js";
import { type ArkApiError, isArkApiError, isDryRunOperation, isRetryableCategory } from "./errors.js";

/** What a DryRun request answered: Ark answers a check that would pass with HTTP 400 `DryRunOperation`. */
export type DryRunResult = { ok: true } | { ok: false; error: Error };

/** Retries a DryRun like any call, except on its own answer. */
export function isRetryableDryRunError(error: ArkApiError): boolean {
  return !isDryRunOperation(error) && isRetryableCategory(error.category);
}

/** Ark answered a DryRun with success: it acted, and `undo` says what became of what it made. */
export class DryRunIgnoredError extends ArkSyncError {
  readonly action: ArkAction;
  readonly undo: DryRunUndo;

  constructor(action: ArkAction, undo: DryRunUndo) {
    const made = undo.endpointId === undefined ? "an endpoint whose Id it did not give" : undo.endpointId;
    const fate = undo.removed
      ? `ark-sync deleted ${made} at once`
      : `deleting it failed (${undo.problem ?? "unknown"}): delete ${made} in the Ark console`;
    super(
      "external",
      "ark_dry_run_ignored",
      `Ark answered a DryRun ${action} with success instead of DryRunOperation: it ignored DryRun and created ${made}; ${fate}.`,
      {
        hint: "Ark does not honour DryRun here, so ark-sync sends no further DryRun in this run. Run plan and apply with --no-ark-dry-run until it does; the next plan names any endpoint a DryRun left (warning dry_run_leftover).",
      },
    );
    this.name = "DryRunIgnoredError";
    this.action = action;
    this.undo = undo;
  }
}

export function isDryRunIgnored(error: unknown): error is DryRunIgnoredError {
  return error instanceof DryRunIgnoredError;
}

/**
 * The DryRun's verdict from its call: `DryRunOperation` is a pass, Ark's answer about the request (an
 * invalid value, a missing permission, a quota) a fail. What says nothing about the request, a
 * network failure or throttling and 5xx that outlast the retries, is thrown. A success answer means
 * Ark ignored DryRun and acted: `undo` removes what it made, then DryRunIgnoredError is thrown.
 */
export async function readDryRun(
  action: ArkAction,
  call: Promise<Record<string, unknown>>,
  undo: (result: Record<string, unknown>) => Promise<DryRunUndo>,
): Promise<DryRunResult> {
  let result: Record<string, unknown>;
  try {
    result = await call;
  } catch (error) {
    if (isDryRunOperation(error)) return { ok: true };
    if (isArkApiError(error) && !isRetryableCategory(error.category)) return { ok: false, error };
    throw error;
  }
  throw new DryRunIgnoredError(action, await undo(result));
}
