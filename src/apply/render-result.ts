// What apply prints when it ends: the contract line on success; on failure or interrupt, what was
// done, what failed (with Ark's Code and RequestId, which ArkApiError messages carry), and what was
// not started.
import { isArkSyncError } from "../core/errors.js";
import type { ApplyEffects, ApplyResult, ResourceOutcome } from "./apply-plan.js";
import type { ApplyOperation } from "./operation.js";

/** The contract line, exactly: `Apply complete! Resources: X added, Y changed, Z destroyed.` */
export function renderApplyComplete(totals: ApplyEffects): string {
  return `Apply complete! Resources: ${totals.added} added, ${totals.changed} changed, ${totals.destroyed} destroyed.`;
}

export function isComplete(result: ApplyResult): boolean {
  return result.outcomes.every((outcome) => outcome.status === "done");
}

/** The account of an apply that did not complete, for stderr. */
export function renderApplyIncomplete(result: ApplyResult, interrupted: boolean): string {
  const by = (status: ResourceOutcome["status"]) =>
    result.outcomes.filter((outcome) => outcome.status === status);
  const failed = by("failed");
  const stopped = by("interrupted");
  const notStarted = by("not_started");
  const unknown = by("unknown");
  const done = by("done");
  const counts = [
    failed.length > 0 ? `${failed.length} failed` : "",
    unknown.length > 0 ? `${unknown.length} with an unknown outcome` : "",
    stopped.length > 0 ? `${stopped.length} interrupted` : "",
    notStarted.length > 0 ? `${notStarted.length} not started` : "",
  ].filter((part) => part !== "");
  const lines = [
    "",
    `Error: ${interrupted ? "apply was interrupted" : "apply did not finish"}: ${counts.join(", ")}.`,
  ];
  for (const outcome of failed) {
    const error = outcome.error;
    lines.push(
      "",
      `  ${outcome.address}: ${operationNoun(outcome.operation)} failed: ${error?.message ?? "unknown error"}`,
    );
    if (error && isArkSyncError(error) && error.hint) lines.push(`    Hint: ${error.hint}`);
    lines.push(...details(outcome));
  }
  for (const outcome of unknown) {
    const error = outcome.error;
    lines.push("", `  ${outcome.address}: ${error?.message ?? "outcome unknown"}`);
    if (error && isArkSyncError(error) && error.hint) lines.push(`    Hint: ${error.hint}`);
    lines.push(...details(outcome));
  }
  for (const outcome of stopped) {
    lines.push(
      "",
      `  ${outcome.address}: ${operationNoun(outcome.operation)} interrupted`,
      ...details(outcome),
    );
  }
  if (done.length > 0) {
    lines.push("", "Completed:");
    for (const outcome of done)
      lines.push(`  ${outcome.address}: ${outcome.done.join(", then ") || "recorded"}`);
  }
  if (notStarted.length > 0) {
    const reasons = [...new Set(notStarted.flatMap((outcome) => outcome.notes))];
    const names = notStarted.map((outcome) => outcome.address).join(", ");
    lines.push("", `Not started: ${names}${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`);
  }
  const { added, changed, destroyed } = result.totals;
  lines.push("", `Changed on Ark in all: ${added} added, ${changed} changed, ${destroyed} destroyed.`);
  return `${lines.join("\n")}\n`;
}

/** What a failed or interrupted resource got done first, and notes. */
function details(outcome: ResourceOutcome): string[] {
  return [
    ...(outcome.done.length > 0 ? [`    Done before that: ${outcome.done.join(", then ")}`] : []),
    ...outcome.notes.map((note) => `    Note: ${note}`),
  ];
}

function operationNoun(operation: ApplyOperation): string {
  switch (operation) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "replace_destroy_first":
    case "replace_create_first":
      return "replacement";
    case "destroy":
      return "destroy";
    case "adopt":
      return "adoption";
    case "forget":
      return "forget";
    case "record":
      return "record";
  }
}

/** What a hard stop (a second interrupt) prints: what finished, what is in flight, what state holds. */
export function renderHardStop(finished: ResourceOutcome[], inFlight: string[], state: string): string {
  const lines = [
    `Finished before stopping: ${finished.length === 0 ? "none" : finished.map((o) => `${o.address} (${o.status})`).join(", ")}`,
    ...(inFlight.length > 0
      ? [
          `Still in flight, outcome unknown: ${inFlight.join(", ")}. The next plan shows what happened; an endpoint created meanwhile is adopted by its ownership tag.`,
        ]
      : []),
    state,
  ];
  return `${lines.join("\n")}\n`;
}
