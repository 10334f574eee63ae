// DryRun requests (docs/ark-api.md, DryRun): Ark answers a check that would pass with the error
// `DryRunOperation` (HTTP 400), and a check that fails with the error the real request would get.
import { ArkSyncError } from "../core/errors.js";
import type { ArkAction } from "./actions.js";
import { type ArkApiError, isArkApiError, isDryRunOperation, isRetryableCategory } from "./errors.js";

/** What a DryRun request answered: Ark answers a check that would pass with HTTP 400 `DryRunOperation`. */
export type DryRunResult = { ok: true } | { ok: false; error: Error };

/** Retries a DryRun like any call, except on its own answer. */
export function isRetryableDryRunError(error: ArkApiError): boolean {
  return !isDryRunOperation(error) && isRetryableCategory(error.category);
}

/**
 * The DryRun's verdict from its call: `DryRunOperation` is a pass, Ark's answer about the request (an
 * invalid value, a missing permission, a quota) a fail. What says nothing about the request, a
 * network failure or throttling and 5xx that outlast the retries, is thrown, and so is a success
 * answer, which would mean Ark ignored DryRun and acted.
 */
export async function readDryRun(action: ArkAction, call: Promise<unknown>): Promise<DryRunResult> {
  try {
    await call;
  } catch (error) {
    if (isDryRunOperation(error)) return { ok: true };
    if (isArkApiError(error) && !isRetryableCategory(error.category)) return { ok: false, error };
    throw error;
  }
  throw new ArkSyncError(
    "external",
    "ark_bad_answer",
    `Ark answered a DryRun ${action} with success instead of DryRunOperation: it may have acted.`,
  );
}
