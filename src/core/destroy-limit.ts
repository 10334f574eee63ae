// ark-sync.yaml's max_destroy (docs/manifests.md#policies-and-max_destroy): the most endpoints one plan
// may destroy or replace; a plan over it is refused unless run with --allow-destroy-over-limit.
import type { PlanError, PlanSummary } from "./types.js";

/** `summary.destroy` counts every endpoint the plan destroys, replacements included. */
export function checkDestroyLimit(summary: PlanSummary, maxDestroy: number): PlanError | null {
  if (summary.destroy <= maxDestroy) return null;
  return {
    code: "max_destroy_exceeded",
    message: `This plan would destroy or replace ${summary.destroy} endpoints, more than max_destroy (${maxDestroy}) in ark-sync.yaml allows. If that is intended, run again with --allow-destroy-over-limit.`,
  };
}
