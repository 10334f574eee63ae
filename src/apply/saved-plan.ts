// Applying a saved plan (`plan --out FILE`, then `apply FILE`) applies exactly that plan, so it must
// still describe the world. Three checks, cheapest first:
// 1. the file: well formed (a moved resource's previous_address used by nothing else), its plan_hash
//    matches its content, no plan errors;
// 2. the state (under the lock): same lineage and serial as when planned ("saved plan is stale");
// 3. live Ark: every endpoint the plan updates, replaces, destroys or adopts still exists and still
//    has, on every path of the plan's `before` and `after`, the value it had in `before`
//    (for a plan made with --refresh=false, `before` is the last-applied record, so drift since the
//    last apply also makes it stale); none but those it destroys is switching its model (a plan
//    holds such an endpoint, docs/apply.md); no endpoint that the plan will create already exists (one
//    carrying its address's ownership tag, other than the endpoint a replacement removes and the
//    endpoints the state records, such as one moved away from that address).
// Paths the plan neither read nor sets (a tag added in the console) do not matter.
import { readLiveEndpoints } from "../ark/refresh.js";
import { flattenAttributes, formatPath } from "../core/attribute-paths.js";
import { hasAction } from "../core/compute-plan.js";
import { ArkSyncError } from "../core/errors.js";
import { isOwnedByState } from "../core/ownership.js";
import { canonicalJson, computePlanHash } from "../core/plan-hash.js";
import { projectsOfChanges } from "../core/projects.js";
import type { LiveEndpoint, Plan, ResourceChange, StateDocument } from "../core/types.js";
import { checkLastApplied } from "../state/last-applied-shape.js";
import { operationOf } from "./operation.js";
import type { ApplyClient } from "./paced-client.js";
import { describeSwitch } from "./switch-report.js";

const actionLists = new Set(
  [["no-op"], ["create"], ["update"], ["delete"], ["delete", "create"], ["create", "delete"]].map((actions) =>
    JSON.stringify(actions),
  ),
);

/** Refuses a plan file that is malformed, was edited after it was saved, or has errors. */
export function checkSavedPlanFile(plan: Plan, source: string): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, change] of plan.resource_changes.entries()) {
    const at = `resource_changes[${index}] (${change.address})`;
    if (seen.has(change.address)) problems.push(`${at}: the address appears twice`);
    seen.add(change.address);
    problems.push(...checkChange(change, at));
  }
  problems.push(...checkMoves(plan.resource_changes, seen));
  if (problems.length > 0) {
    throw new ArkSyncError(
      "input",
      "plan_file_invalid",
      `${source} is not a plan ark-sync can apply:\n  ${problems.join("\n  ")}`,
      {
        hint: "Write it again with: ark-sync plan --out FILE",
      },
    );
  }
  const { plan_hash: recorded, ...content } = plan;
  if (recorded !== computePlanHash(content)) {
    throw new ArkSyncError(
      "input",
      "plan_file_modified",
      `${source} was changed after it was saved: its plan_hash does not match its content`,
      {
        hint: "Apply only plans written by `ark-sync plan --out FILE`, unedited.",
      },
    );
  }
  if (plan.errors.length > 0) {
    throw new ArkSyncError(
      "input",
      "plan_has_errors",
      `${source} cannot be applied: ${plan.errors.map((error) => error.message).join(" ")}`,
    );
  }
}

function checkChange(change: ResourceChange, at: string): string[] {
  const problems: string[] = [];
  const { actions, before, after } = change.change;
  if (!actionLists.has(JSON.stringify(actions))) {
    return [`${at}: actions ${JSON.stringify(actions)} is not one of Terraform's action lists`];
  }
  if (before !== null) checkLastApplied(before, `${at}.change.before`, problems);
  if (after !== null) {
    checkLastApplied(after, `${at}.change.after`, problems);
    if (problems.length === 0 && `${after.project_name}/${after.name}` !== change.address) {
      problems.push(`${at}: change.after names ${after.project_name}/${after.name}, not its address`);
    }
  }
  const operation = operationOf(change);
  const needsId = operation !== "create" && operation !== "record";
  if (needsId && (typeof change.endpoint_id !== "string" || change.endpoint_id === "")) {
    problems.push(`${at}: endpoint_id is missing`);
  }
  if (hasAction(actions, "create") && after === null) problems.push(`${at}: a create needs change.after`);
  if (actions[0] === "update" && (before === null || after === null)) {
    problems.push(`${at}: an update needs change.before and change.after`);
  }
  return problems;
}

/** A moved resource leaves its previous address behind: no other change may use it, nor move from it. */
function checkMoves(changes: ResourceChange[], addresses: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const movedFrom = new Set<string>();
  for (const [index, { address, previous_address: previous }] of changes.entries()) {
    if (previous === undefined) continue;
    const at = `resource_changes[${index}] (${address})`;
    if (typeof previous !== "string" || previous === "" || previous === address) {
      problems.push(`${at}: previous_address must be another address`);
    } else if (addresses.has(previous)) {
      problems.push(`${at}: previous_address ${previous} is also the address of another change`);
    } else if (movedFrom.has(previous)) {
      problems.push(`${at}: previous_address ${previous} is the previous address of another change too`);
    }
    if (typeof previous === "string") movedFrom.add(previous);
  }
  return problems;
}

/** Refuses a saved plan when the state changed since it was made (Terraform's "Saved plan is stale"). */
export function checkSavedPlanState(plan: Plan, current: StateDocument | null, where: string): void {
  const planned = plan.state;
  const now = current ? { lineage: current.lineage, serial: current.serial } : null;
  if (canonicalJson(planned) === canonicalJson(now)) return;
  const describe = (state: { lineage: string; serial: number } | null) =>
    state ? `lineage ${state.lineage}, serial ${state.serial}` : "no state yet";
  const reason =
    planned && now && planned.lineage !== now.lineage
      ? "it was made for a different state (another lineage)"
      : "the state changed after the plan was made (another apply, import, refresh or state command ran)";
  throw new ArkSyncError(
    "input",
    "plan_stale",
    `saved plan is stale: ${reason}.\n  Planned against: ${describe(planned)}\n  ${where} now: ${describe(now)}`,
    { hint: "Make a new plan (ark-sync plan --out FILE), review it, and apply that one." },
  );
}

/** Whether applying the plan depends on live Ark at all (anything but state bookkeeping). */
export function dependsOnLive(plan: Plan): boolean {
  return plan.resource_changes.some((change) => {
    const operation = operationOf(change);
    return operation !== "record" && operation !== "forget";
  });
}

/**
 * Reads live Ark (the list calls of a plan, for the projects the plan's changes name) and refuses
 * the plan if what it relied on changed. `state` is the state the plan was made against
 * (checkSavedPlanState has checked it). Returns the plan with each change's current live status,
 * which apply needs (e.g. to wait for an adopted endpoint that is still provisioning).
 */
export async function checkSavedPlanLive(
  plan: Plan,
  client: Pick<ApplyClient, "listEndpoints" | "getEndpoint" | "getModelSwitch">,
  state: StateDocument | null,
): Promise<Plan> {
  const relied = new Map<string, ResourceChange>();
  for (const change of plan.resource_changes) {
    const operation = operationOf(change);
    if (change.endpoint_id && operation !== "create" && operation !== "record" && operation !== "forget") {
      relied.set(change.endpoint_id, change);
    }
  }
  const live = await readLiveEndpoints(
    client,
    projectsOfChanges(plan.resource_changes),
    (item) => {
      const change = relied.get(item.endpoint_id);
      return (
        change !== undefined &&
        (change.change.before?.moderation ?? change.change.after?.moderation) !== undefined
      );
    },
    relied.keys(),
  );
  const byId = new Map(live.map((endpoint) => [endpoint.endpoint_id, endpoint]));

  const problems: string[] = [];
  for (const [id, change] of relied) {
    const endpoint = byId.get(id);
    if (!endpoint) {
      problems.push(`${change.address}: ${id} no longer exists on Ark`);
      continue;
    }
    problems.push(...compareRelied(change, endpoint));
    // A switch started since the plan holds the endpoint: a plan made now would change nothing on it.
    if (endpoint.rolling_id !== undefined && operationOf(change) !== "destroy") {
      const info = await client.getModelSwitch(endpoint.rolling_id);
      problems.push(
        `${change.address}: ${id} is switching its model in a switch this plan did not start: ${describeSwitch(endpoint.rolling_id, info)}`,
      );
    }
  }
  // An endpoint the state records is not a stray create, even when it carries the tag of an address
  // it has moved away from.
  const recorded = new Set(Object.values(state?.resources ?? {}).map((resource) => resource.endpoint_id));
  for (const change of plan.resource_changes) {
    if (!hasAction(change.change.actions, "create")) continue;
    const existing = live.find(
      (endpoint) =>
        endpoint.owner_address === change.address &&
        isOwnedByState(endpoint, state?.lineage ?? null) &&
        endpoint.endpoint_id !== change.endpoint_id &&
        !recorded.has(endpoint.endpoint_id),
    );
    if (existing) {
      problems.push(
        `${change.address}: ${existing.endpoint_id} now exists on Ark with this address's ownership tag (another apply created it)`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ArkSyncError(
      "input",
      "plan_stale",
      `saved plan is stale: live endpoints changed since the plan was made:\n  ${problems.join("\n  ")}`,
      { hint: "Make a new plan (ark-sync plan --out FILE), review it, and apply that one." },
    );
  }
  return {
    ...plan,
    resource_changes: plan.resource_changes.map((change) => {
      const endpoint = change.endpoint_id ? byId.get(change.endpoint_id) : undefined;
      return endpoint ? { ...change, status: endpoint.status } : change;
    }),
  };
}

/** Each path of `before` or `after` must still have its `before` value live (absent stays absent). */
function compareRelied(change: ResourceChange, endpoint: LiveEndpoint): string[] {
  const before = flattenAttributes(change.change.before);
  const live = flattenAttributes(endpoint.attributes);
  const paths = new Map([...flattenAttributes(change.change.after), ...before]);
  const problems: string[] = [];
  for (const [key, { path }] of paths) {
    const planned = before.get(key)?.value;
    const now = live.get(key)?.value;
    if (canonicalJson(planned ?? null) === canonicalJson(now ?? null)) continue;
    problems.push(
      `${change.address}: ${formatPath(path)} is ${describe(now)} on Ark, but the plan was made when it was ${describe(planned)}`,
    );
  }
  return problems;
}

function describe(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}
