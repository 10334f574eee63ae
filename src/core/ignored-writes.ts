// How a plan treats writes Ark ignored before (docs/apply.md, "Reading back every write"). Apply reads
// an endpoint back after every write and records in state each value Ark answered with success but
// left as it was. The next plan never sends that write again:
//   - a value UpdateEndpoint ignored cannot change in place on this endpoint: a change to it replaces
//     the endpoint (CreateEndpoint), and its removal keeps it live, no longer managed;
//   - a value CreateEndpoint ignored is set in place instead, where UpdateEndpoint takes it;
//   - a value both ignored, or a create-only value a create ignored, is a plan error: no write is left
//     to try, so a human decides.
// Each of these is said in a warning (or the error) naming the value and what Ark holds.
import { formatPath, pathKey } from "./attribute-paths.js";
import { attributeMutability } from "./mutability.js";
import type { AttributeChange, NoLongerManagedLeaf } from "./three-way.js";
import type { Address, AttributePath, IgnoredWrite, PlanError, PlanWarning, WriteAction } from "./types.js";

/** The endpoint planned, and where its manifest is, for messages. */
export interface IgnoredWriteTarget {
  address: Address;
  endpointId: string;
  file: string;
}

export interface IgnoredWriteCheck {
  /** The changes, with each one UpdateEndpoint cannot make turned into a replacement. */
  changes: AttributeChange[];
  warnings: PlanWarning[];
  errors: PlanError[];
}

/** Paths whose in-place write Ark ignored: their removal keeps the live value (no reset that works). */
export function keptOnRemoval(records: readonly IgnoredWrite[]): AttributePath[] {
  return records.filter((record) => record.action === "UpdateEndpoint").map((record) => record.path);
}

export function checkIgnoredWrites(
  target: IgnoredWriteTarget,
  changes: AttributeChange[],
  noLongerManaged: NoLongerManagedLeaf[],
  records: readonly IgnoredWrite[],
): IgnoredWriteCheck {
  const check: IgnoredWriteCheck = { changes: [], warnings: [], errors: [] };
  const byPath = new Map<string, Map<WriteAction, IgnoredWrite>>();
  for (const record of records) {
    const key = pathKey(record.path);
    byPath.set(key, (byPath.get(key) ?? new Map()).set(record.action, record));
  }
  const warn = (message: string) =>
    check.warnings.push({ code: "write_ignored", address: target.address, message });

  for (const change of changes) {
    const found = byPath.get(pathKey(change.path));
    const write = change.kind === "set" ? writeOf(change) : null;
    const ignored = write === null ? undefined : found?.get(write);
    const path = formatPath(change.path);
    if (!found || write === null || !ignored) {
      check.changes.push(change);
      const create = found?.get("CreateEndpoint");
      if (write === "UpdateEndpoint" && create) {
        warn(
          `Ark created ${target.endpointId} with ${path} = ${show(create.held)}, not the ${show(create.sent)} ark-sync sent (read back ${create.at}): this plan sets it with UpdateEndpoint instead.`,
        );
      }
      continue;
    }
    if (write === "UpdateEndpoint" && !found.has("CreateEndpoint")) {
      check.changes.push({ ...change, impact: "replace" });
      warn(
        `Ark accepted UpdateEndpoint of ${path} for ${target.endpointId} but kept ${show(ignored.held)} (ark-sync sent ${show(ignored.sent)}; read back ${ignored.at}), so ${path} cannot change in place on this endpoint: this plan replaces it to set ${show(change.after)}. To keep the endpoint, set ${path} to ${show(ignored.held)} in ${target.file} or add it to lifecycle.ignore_changes.`,
      );
      continue;
    }
    // No write is left: both were ignored, or the value is set only by a create, which was ignored.
    check.changes.push(change);
    const tried = [...found.keys()]
      .sort()
      .map((action) =>
        action === "UpdateEndpoint" ? "in place (UpdateEndpoint)" : "at creation (CreateEndpoint)",
      );
    check.errors.push({
      code: "value_not_writable",
      address: target.address,
      message: `Ark ignored ${path} ${tried.join(" and ")} on ${target.endpointId}, and holds ${show(ignored.held)}: ark-sync has no other way to write it, so it does not try again. Set ${path} to ${show(ignored.held)} in ${target.file}, or add it to lifecycle.ignore_changes.`,
    });
  }

  for (const leaf of noLongerManaged) {
    const update = byPath.get(pathKey(leaf.path))?.get("UpdateEndpoint");
    if (!update) continue;
    warn(
      `Ark accepted UpdateEndpoint clearing ${formatPath(leaf.path)} for ${target.endpointId} but kept ${show(update.held)} (read back ${update.at}), so it is left as it is live and no longer managed.`,
    );
  }
  return check;
}

/** The write that makes a change: UpdateEndpoint in place, CreateEndpoint for a replacement; null for
 * another (a rolling model switch), which this does not judge. */
function writeOf(change: AttributeChange): WriteAction | null {
  if (change.impact === "replace") return "CreateEndpoint";
  const attribute = change.path[0] as keyof typeof attributeMutability;
  return change.impact === "update" && attributeMutability[attribute] === "update" ? "UpdateEndpoint" : null;
}

function show(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(value);
}
