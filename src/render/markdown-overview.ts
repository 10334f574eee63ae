// The overview at the top of a big plan's comment (docs/github.md, "Big plans"): what each resource
// change counts as, and a table with one row per kind of change that the plan holds. The same kinds
// name the folds the resources are grouped in, destroys and replacements first.
import type { Plan, ResourceChange } from "../core/types.js";
import { isMoveOnly, resourceAction } from "./resource-lines.js";

export type ResourceGroup = "replace" | "destroy" | "create" | "update" | "adopt" | "move";

/** The order of the folds: what cannot be undone first. */
export const GROUP_ORDER: readonly ResourceGroup[] = [
  "replace",
  "destroy",
  "create",
  "update",
  "adopt",
  "move",
];

/** The table's order: Terraform's `Plan:` line first (add, change, destroy), then the rest. */
const TABLE_ORDER: readonly ResourceGroup[] = ["create", "update", "replace", "destroy", "adopt", "move"];

/** The marker and words of each kind, in a fold's summary and in the table. */
const GROUPS: Record<ResourceGroup, { marker: string; verb: string; label: string }> = {
  replace: { marker: "-/+", verb: "to replace", label: "replace (new endpoint_id)" },
  destroy: { marker: "-", verb: "to destroy", label: "destroy" },
  create: { marker: "+", verb: "to create", label: "create" },
  update: { marker: "~", verb: "to update in place", label: "update in place" },
  adopt: { marker: "", verb: "to adopt", label: "adopt (found by ownership tag)" },
  move: { marker: "", verb: "to move", label: "move (nothing else changes)" },
};

export function resourceGroup(resource: ResourceChange): ResourceGroup {
  const action = resourceAction(resource.change.actions);
  switch (action) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "destroy";
    case "delete-create":
    case "create-delete":
      return "replace";
    case "no-op":
      return isMoveOnly(resource) ? "move" : "adopt";
  }
}

/** `+ 360 to create`: a fold's summary, plain text for inside <summary>. */
export function groupSummary(group: ResourceGroup, count: number): string {
  const { marker, verb } = GROUPS[group];
  return `${marker === "" ? "" : `${marker} `}${count} ${verb}`;
}

/**
 * One row per non-zero count: the kinds of change, endpoints changed outside ark-sync, and live values
 * left alone. Empty when the plan does at most one kind of thing, which its `Plan:` line already says.
 */
export function renderCountTable(plan: Plan, shown: ResourceChange[]): string {
  const counts = new Map<ResourceGroup, number>();
  for (const resource of shown) {
    const group = resourceGroup(resource);
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  const rows: [string, number][] = TABLE_ORDER.map((group) => {
    const { marker, label } = GROUPS[group];
    return [`${marker === "" ? "" : `\`${marker}\` `}${label}`, counts.get(group) ?? 0];
  });
  rows.push(["changed outside ark-sync (drift)", plan.resource_drift.length]);
  rows.push(["live values ark-sync leaves alone (unmanaged)", plan.unmanaged.length]);
  const present = rows.filter(([, count]) => count > 0);
  if (present.length < 2) return "";
  return ["| | count |", "|:--|--:|", ...present.map(([label, count]) => `| ${label} | ${count} |`)].join(
    "\n",
  );
}
