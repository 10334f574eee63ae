// The most endpoints one plan may destroy or replace (docs/manifests.md#policies-and-max_destroy):
// ark-sync.yaml's max_destroy, and for sync the operator's --max-destroy, which the repository cannot
// raise (docs/sync.md#safety-rules). A plan over the limit has an error, so apply refuses it.
import type { PlanError, PlanSummary } from "./types.js";

/** Where a limit was set: the directory's ark-sync.yaml, or sync's --max-destroy flag. */
export type DestroyLimitSource = "ark-sync.yaml" | "--max-destroy";

export interface DestroyLimit {
  max: number;
  source: DestroyLimitSource;
}

/** The lower of ark-sync.yaml's max_destroy and the operator's --max-destroy; absent when neither is
 * set. On a tie the flag is named: it is the limit that still holds if the repository raises its own. */
export function lowerDestroyLimit(
  fromConfig: number | undefined,
  fromFlag: number | undefined,
): DestroyLimit | undefined {
  if (fromFlag !== undefined && (fromConfig === undefined || fromFlag <= fromConfig))
    return { max: fromFlag, source: "--max-destroy" };
  return fromConfig === undefined ? undefined : { max: fromConfig, source: "ark-sync.yaml" };
}

/** `summary.destroy` counts every endpoint the plan destroys, replacements included. */
export function checkDestroyLimit(summary: PlanSummary, limit: DestroyLimit): PlanError | null {
  if (summary.destroy <= limit.max) return null;
  const over = `This plan would destroy or replace ${summary.destroy} endpoints`;
  switch (limit.source) {
    case "ark-sync.yaml":
      return {
        code: "max_destroy_exceeded",
        message: `${over}, more than max_destroy (${limit.max}) in ark-sync.yaml allows. If that is intended, run plan and apply again with --allow-destroy-over-limit (sync never lifts it).`,
      };
    case "--max-destroy":
      return {
        code: "max_destroy_exceeded",
        message: `${over}, more than the ${limit.max} that --max-destroy allows (set by whoever runs sync; ark-sync.yaml cannot raise it). If that is intended, a person applies it (ark-sync apply).`,
      };
  }
}
