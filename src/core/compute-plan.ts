// The resource level of the three-way plan (docs/design.md §3): which addresses are created, updated,
// replaced, destroyed, adopted or moved (moved_from), built on the leaf-level table in three-way.ts.
import jsonpatch from "fast-json-patch";
import { compareStrings, parsePath } from "./attribute-paths.js";
import { checkDestroyLimit, type DestroyLimit } from "./destroy-limit.js";
import { dryRunLeftoverWarnings } from "./dry-run-leftovers.js";
import { checkIgnoredWrites, keptOnRemoval } from "./ignored-writes.js";
import { worstImpact } from "./impact.js";
import { decideModelSwitch, describeModelReplaceReason } from "./model-switch.js";
import { normalizeDesired, normalizeLive, normalizeState } from "./normalize-inputs.js";
import { isOwnedByState } from "./ownership.js";
import { computePlanHash } from "./plan-hash.js";
import { prepaidCapacityWarning, releasedCapacity } from "./prepaid-capacity.js";
import { resolveMoves } from "./resolve-moves.js";
import { diffThreeWay } from "./three-way.js";
import type {
  Address,
  AttributePath,
  ChangeActions,
  DesiredEndpoint,
  EndpointAttributes,
  JsonPatchOperation,
  LiveEndpoint,
  NoLongerManagedPath,
  Plan,
  PlanAction,
  PlanError,
  PlanWarning,
  ResourceChange,
  ResourceDrift,
  StateDocument,
  StateResource,
  UnmanagedPath,
} from "./types.js";
import { untrackedEndpointWarnings } from "./untracked-endpoints.js";

export interface PlanOptions {
  /** Allow a plan that destroys every managed endpoint when no manifest was found. */
  allowEmpty?: boolean;
  /** Only plan these addresses (Terraform's -target). */
  targets?: string[];
  /** False: the targets were chosen by ark-sync (sync's decided addresses), not typed with --target,
   * so the plan carries no warning that targeting is in effect. Default true. */
  warnOfTargets?: boolean;
  /** The most endpoints the plan may destroy or replace, and who set it; absent: no limit. */
  maxDestroy?: DestroyLimit;
}

/** What planning one address produces; merged into the Plan. */
interface ResourcePlan {
  change: ResourceChange;
  drift?: ResourceDrift;
  unmanaged: UnmanagedPath[];
  noLongerManaged: NoLongerManagedPath[];
  warnings: PlanWarning[];
  errors: PlanError[];
}

/**
 * The three-way plan of docs/design.md §3. `live` is every endpoint Ark listed, or null when planning with
 * --refresh=false (live is then assumed to equal last-applied). Pure: no I/O, inputs untouched,
 * output sorted by address.
 */
export function computePlan(
  desiredInput: DesiredEndpoint[],
  lastAppliedInput: StateDocument | null,
  liveInput: LiveEndpoint[] | null,
  options: PlanOptions = {},
): Plan {
  const desired = normalizeDesired(desiredInput);
  const lastApplied = normalizeState(lastAppliedInput);
  const live = normalizeLive(liveInput);
  const desiredByAddress = new Map(desired.map((endpoint) => [endpoint.address, endpoint]));
  const stateResources = new Map(Object.entries(lastApplied?.resources ?? {}));
  // A moved endpoint is planned as the continuation of its old record, under its new address.
  const moves = resolveMoves(desired, stateResources);
  for (const [to, from] of moves) {
    stateResources.set(to, stateResources.get(from) as StateResource);
    stateResources.delete(from);
  }
  const recordedIds = new Set(Object.values(lastApplied?.resources ?? {}).map((r) => r.endpoint_id));
  const liveIndex = indexLive(live, recordedIds, lastApplied?.lineage ?? null);
  const targets = options.targets && options.targets.length > 0 ? new Set(options.targets) : null;
  const isTargeted = (address: Address) => {
    const previous = moves.get(address);
    return targets === null || targets.has(address) || (previous !== undefined && targets.has(previous));
  };

  const addresses = [...new Set([...desiredByAddress.keys(), ...stateResources.keys()])]
    .filter(isTargeted)
    .sort(compareStrings);
  const resourcePlans = addresses.map((address) => {
    const plan = planResource(address, desiredByAddress.get(address), stateResources.get(address), liveIndex);
    const previous = moves.get(address);
    if (previous !== undefined) plan.change.previous_address = previous;
    notePrepaidCapacity(plan, liveIndex.byId?.get(plan.change.endpoint_id ?? ""));
    return plan;
  });

  const resourceChanges = resourcePlans.map((plan) => plan.change);
  const warnings = resourcePlans.flatMap((plan) => plan.warnings);
  const errors = resourcePlans.flatMap((plan) => plan.errors);
  if (targets !== null && options.warnOfTargets !== false) {
    warnings.unshift({
      code: "targeting",
      message:
        "Resource targeting is in effect: this plan covers only the addresses given with --target and may be incomplete. Use it for exceptional situations only.",
    });
  }
  if (live !== null) {
    warnings.push(...untrackedEndpointWarnings(live, lastApplied, resourceChanges, isTargeted));
    warnings.push(...dryRunLeftoverWarnings(live));
  }
  const emptyGuard = checkEmptyManifests(desired, resourceChanges, options, targets !== null);
  if (emptyGuard) errors.push(emptyGuard);
  const summary = summarize(resourceChanges);
  const overLimit = options.maxDestroy === undefined ? null : checkDestroyLimit(summary, options.maxDestroy);
  if (overLimit) errors.push(overLimit);

  const plan: Omit<Plan, "plan_hash"> = {
    format_version: "1.0",
    refreshed: live !== null,
    resource_changes: resourceChanges,
    resource_drift: resourcePlans.flatMap((plan) => (plan.drift ? [plan.drift] : [])),
    unmanaged: resourcePlans.flatMap((plan) => plan.unmanaged),
    no_longer_managed: resourcePlans.flatMap((plan) => plan.noLongerManaged),
    warnings,
    errors,
    summary,
    state: lastApplied ? { lineage: lastApplied.lineage, serial: lastApplied.serial } : null,
  };
  // Hashed when first read: a text plan never reads it, and a big plan's hash is a tenth of its cost.
  let hash: string | undefined;
  return Object.defineProperty({ ...plan } as Plan, "plan_hash", {
    get: () => {
      hash ??= computePlanHash(plan);
      return hash;
    },
    enumerable: true,
  });
}

interface LiveIndex {
  /** Null when not refreshed: live is then assumed to equal last-applied. */
  byId: Map<string, LiveEndpoint> | null;
  /** Endpoints this state may adopt, by the address their ownership tag names. */
  byOwner: Map<Address, LiveEndpoint>;
  /** Endpoints another state owns, by the same: never adopted, and a create beside one says so. */
  byForeignOwner: Map<Address, LiveEndpoint>;
  byName: Map<string, LiveEndpoint[]>;
}

/** `recorded`: the endpoints the state records under any address. The ownership tag names the address
 * an endpoint was created for and never changes (Ark has no tag API), so after a move an old address's
 * tag is on an endpoint that is managed under its new one: that endpoint is never adopted. */
function indexLive(
  live: LiveEndpoint[] | null,
  recorded: ReadonlySet<string>,
  lineage: string | null,
): LiveIndex {
  const index: LiveIndex = {
    byId: live ? new Map() : null,
    byOwner: new Map(),
    byForeignOwner: new Map(),
    byName: new Map(),
  };
  for (const endpoint of live ?? []) {
    index.byId?.set(endpoint.endpoint_id, endpoint);
    const owner = endpoint.owner_address;
    if (owner && !recorded.has(endpoint.endpoint_id)) {
      const byOwner = isOwnedByState(endpoint, lineage) ? index.byOwner : index.byForeignOwner;
      if (!byOwner.has(owner)) byOwner.set(owner, endpoint);
    }
    // A DryRun leftover shares the name of what it checked: it is reported on its own, not as a namesake.
    if (endpoint.dry_run_id !== undefined) continue;
    const nameKey = `${endpoint.attributes.project_name}/${endpoint.attributes.name}`;
    index.byName.set(nameKey, [...(index.byName.get(nameKey) ?? []), endpoint]);
  }
  return index;
}

function planResource(
  address: Address,
  desired: DesiredEndpoint | undefined,
  state: StateResource | undefined,
  live: LiveIndex,
): ResourcePlan {
  if (live.byId === null) return planWithoutRefresh(address, desired, state);

  const current = state ? live.byId.get(state.endpoint_id) : undefined;
  if (desired) {
    if (current) return planExisting(address, desired, state ?? null, current, null);
    // An endpoint carrying our ownership tag for this address was created by an apply whose outcome
    // was never recorded (a crash, a lost reply): adopt it rather than create a duplicate.
    const owned = live.byOwner.get(address);
    if (owned) return planExisting(address, desired, null, owned, "adopted_by_ownership_tag");
    const plan = planCreate(address, desired, live);
    if (state) {
      plan.change.action_reason = "deleted_outside";
      plan.drift = { address, endpoint_id: state.endpoint_id, kind: "deleted", changes: [] };
    }
    return plan;
  }
  // In state, no longer in the manifests.
  const known = state as StateResource;
  if (!current) return planForget(address, known);
  return planDestroy(address, known.endpoint_id, current.attributes, current.status);
}

function planWithoutRefresh(
  address: Address,
  desired: DesiredEndpoint | undefined,
  state: StateResource | undefined,
): ResourcePlan {
  if (!state) return planCreate(address, desired as DesiredEndpoint, null);
  if (!state.last_applied) {
    const plan = planNoOp(address, state.endpoint_id, null);
    plan.warnings.push({
      code: "live_unknown_without_refresh",
      address,
      message: `${address} was imported and has never been applied, so it cannot be planned without reading Ark; run plan with refresh to see its changes.`,
    });
    return plan;
  }
  const assumedLive: LiveEndpoint = {
    endpoint_id: state.endpoint_id,
    attributes: state.last_applied,
    status: "Running",
  };
  if (!desired) return planDestroy(address, state.endpoint_id, state.last_applied, undefined);
  return planExisting(address, desired, state, assumedLive, null, false);
}

/** `recorded`: the address's state record, null for an endpoint adopted by its ownership tag. */
function planExisting(
  address: Address,
  desired: DesiredEndpoint,
  recorded: StateResource | null,
  current: LiveEndpoint,
  reason: "adopted_by_ownership_tag" | null,
  refreshed = true,
): ResourcePlan {
  const { lifecycle } = desired;
  const lastApplied = recorded?.last_applied ?? null;
  const ignoredWrites = recorded?.ignored_writes ?? [];
  const result = diffThreeWay({
    desired: desired.attributes,
    lastApplied,
    live: current.attributes,
    ignoreChanges: (lifecycle.ignore_changes ?? []).map(parsePath),
    keepLive: keptOnRemoval(ignoredWrites),
  });
  const before = current.attributes;
  // A model switch someone else started is left to finish: nothing is planned against it.
  const switching = refreshed ? current.rolling_id : undefined;
  const modelChanges = result.changes.some((change) => change.path[0] === "model_reference");
  const model = !modelChanges
    ? undefined
    : decideModelSwitch(
        before.model_reference,
        result.after.model_reference,
        refreshed ? current.support_rolling : undefined,
        lifecycle.model_switch,
      );
  // Writes Ark ignored before are not sent again the same way (ignored-writes.ts).
  const checked = checkIgnoredWrites(
    // normalizeDesired does not check `source`: a malformed one must not make the plan throw.
    { address, endpointId: current.endpoint_id, file: desired.source?.file ?? "its manifest" },
    result.changes.map((change) =>
      model?.method === "rolling" && change.path[0] === "model_reference"
        ? { ...change, impact: "update" as const }
        : change,
    ),
    result.noLongerManaged,
    ignoredWrites,
  );
  const changes = checked.changes;
  const impact = switching ? "none" : worstImpact(changes.map((change) => change.impact));
  const actions: ChangeActions =
    impact === "replace"
      ? lifecycle.create_before_destroy
        ? ["create", "delete"]
        : ["delete", "create"]
      : impact === "update"
        ? ["update"]
        : ["no-op"];
  const after = impact === "none" ? before : result.after;
  const replacePaths = changes.filter((change) => change.impact === "replace").map((c) => c.path);
  // A rolling switch is moot when something else replaces the endpoint anyway.
  const modelSwitch =
    model && impact !== "none" && (model.method === "replace" || impact === "update") ? model : undefined;

  const plan: ResourcePlan = {
    change: {
      address,
      endpoint_id: current.endpoint_id,
      action_reason:
        reason ??
        (impact === "replace"
          ? "replace_because_cannot_update"
          : impact === "update"
            ? "update_in_place"
            : null),
      change: {
        actions,
        before,
        after,
        after_unknown: impact === "replace" ? { endpoint_id: true } : {},
        replace_paths: replacePaths,
        patch: impact === "none" ? [] : diffPatch(before, after),
      },
      lifecycle,
      ...(modelSwitch ? { model_switch: modelSwitch } : {}),
      ...(refreshed ? { status: current.status } : {}),
    },
    unmanaged: result.unmanaged.map((leaf) => ({ address, path: leaf.path, value: leaf.value })),
    noLongerManaged: result.noLongerManaged.map((leaf) => ({ address, ...leaf })),
    warnings: [],
    errors: [],
  };
  if (result.drift.length > 0) {
    plan.drift = { address, endpoint_id: current.endpoint_id, kind: "changed", changes: result.drift };
  }
  if (refreshed && lastApplied === null && reason === null) {
    plan.warnings.push({
      code: "no_last_applied",
      address,
      message: `${address} has no last-applied record (it was imported): only the attributes set in its manifest are enforced, and attributes removed from the manifest cannot be detected until it has been applied once.`,
    });
  }
  if (refreshed) addStatusWarning(plan, current);
  if (!switching) {
    plan.warnings.push(...checked.warnings);
    plan.errors.push(...checked.errors);
  }
  if (switching && result.changes.length > 0) {
    plan.warnings.push({
      code: "model_switch_in_progress",
      address,
      message: `${address} (${current.endpoint_id}) is switching its model (${switching}), a switch this plan did not start: ark-sync changes nothing on it until the switch ends. Plan again once it has.`,
    });
  }
  if (modelSwitch?.method === "replace" && lifecycle.model_switch === "rolling") {
    plan.errors.push({
      code: "model_switch_impossible",
      address,
      message: `${address} sets lifecycle.model_switch: rolling, but ${describeModelReplaceReason(modelSwitch, current.endpoint_id)}. Remove model_switch from ${desired.source.file} to allow the replacement, or undo the model change.`,
    });
  }
  if (impact === "replace") {
    const why =
      modelSwitch?.method === "replace" ? describeModelReplaceReason(modelSwitch, current.endpoint_id) : null;
    addReplaceConsequences(plan, desired, replacePaths, why);
  }
  return plan;
}

function planCreate(address: Address, desired: DesiredEndpoint, live: LiveIndex | null): ResourcePlan {
  const foreign = live?.byForeignOwner.get(address);
  const after = desired.attributes;
  const plan: ResourcePlan = {
    change: {
      address,
      endpoint_id: null,
      action_reason: "new_in_manifests",
      change: {
        actions: ["create"],
        before: null,
        after,
        after_unknown: { endpoint_id: true },
        replace_paths: [],
        patch: [],
      },
      lifecycle: desired.lifecycle,
    },
    unmanaged: [],
    noLongerManaged: [],
    warnings: [],
    errors: [],
  };
  if (foreign) {
    plan.warnings.push({
      code: "owned_by_another_state",
      address,
      message: `${foreign.endpoint_id} carries the ownership tag of ${address} for another state (lineage ${foreign.owner_state}), so this state will not adopt or change it and creates another endpoint. If that is another environment's, give this endpoint another name or project; if its state is lost for good, adopt it with: ark-sync import ${address} ${foreign.endpoint_id}`,
    });
  }
  const namesakes = (live?.byName.get(address) ?? []).filter((namesake) => namesake !== foreign);
  for (const namesake of namesakes) {
    plan.warnings.push({
      code: "duplicate_live_name",
      address,
      message: `An endpoint named "${desired.attributes.name}" already exists in project "${desired.attributes.project_name}" (${namesake.endpoint_id}) and is not managed by ark-sync; this plan creates another one. To manage the existing endpoint instead, run: ark-sync import ${address} ${namesake.endpoint_id}`,
    });
  }
  return plan;
}

function planDestroy(
  address: Address,
  endpointId: string,
  attributes: EndpointAttributes,
  status: string | undefined,
): ResourcePlan {
  const before = attributes;
  return {
    change: {
      address,
      endpoint_id: endpointId,
      action_reason: "removed_from_manifests",
      change: { actions: ["delete"], before, after: null, after_unknown: {}, replace_paths: [], patch: [] },
      lifecycle: {},
      ...(status === undefined ? {} : { status }),
    },
    unmanaged: [],
    noLongerManaged: [],
    warnings: [],
    errors: [],
  };
}

/** In state, gone from Ark and from the manifests: nothing to do on Ark; apply forgets it. */
function planForget(address: Address, state: StateResource): ResourcePlan {
  const plan = planNoOp(address, state.endpoint_id, null);
  plan.change.action_reason = "deleted_outside";
  plan.drift = { address, endpoint_id: state.endpoint_id, kind: "deleted", changes: [] };
  return plan;
}

function planNoOp(address: Address, endpointId: string, attributes: EndpointAttributes | null): ResourcePlan {
  return {
    change: {
      address,
      endpoint_id: endpointId,
      action_reason: null,
      change: {
        actions: ["no-op"],
        before: attributes,
        after: attributes,
        after_unknown: {},
        replace_paths: [],
        patch: [],
      },
      lifecycle: {},
    },
    unmanaged: [],
    noLongerManaged: [],
    warnings: [],
    errors: [],
  };
}

function addStatusWarning(plan: ResourcePlan, current: LiveEndpoint): void {
  if (!["Abnormal", "Failed", "Stopped"].includes(current.status)) return;
  const reason = current.status_reason ? `: ${current.status_reason}` : "";
  plan.warnings.push({
    code: "endpoint_status",
    address: plan.change.address,
    message: `${plan.change.address} (${current.endpoint_id}) is ${current.status}${reason}`,
  });
}

/** A destroy or replacement of an endpoint that holds prepaid capacity says so, on the change and as a warning. */
function notePrepaidCapacity(plan: ResourcePlan, live: LiveEndpoint | undefined): void {
  const capacity = releasedCapacity(plan.change, live);
  if (capacity === undefined) return;
  plan.change.prepaid_capacity = capacity;
  plan.warnings.push(prepaidCapacityWarning(plan.change, capacity));
}

/** `modelReason`: why a new model_reference is not switched in place, when it forces the replacement. */
function addReplaceConsequences(
  plan: ResourcePlan,
  desired: DesiredEndpoint,
  forcing: AttributePath[],
  modelReason: string | null,
): void {
  const { address, endpoint_id } = plan.change;
  const attributes = [...new Set(forcing.map((path) => path[0]))].join(", ");
  const why = modelReason === null ? "" : ` (${modelReason})`;
  plan.warnings.push({
    code: "endpoint_id_changes",
    address,
    message: `${address} will be replaced because ${attributes} cannot change in place${why}: its endpoint_id ${endpoint_id} will change, and callers that use the old id will break.`,
  });
  if (desired.lifecycle.prevent_destroy) {
    plan.errors.push({
      code: "prevent_destroy",
      address,
      message: `${address} has lifecycle.prevent_destroy set, but this plan would replace it (destroying ${endpoint_id}). Remove prevent_destroy from ${desired.source.file} to allow it, or undo the change that forces the replacement.`,
    });
  }
}

/** Refuse a plan that would destroy every managed endpoint because no manifest was found. */
function checkEmptyManifests(
  desired: DesiredEndpoint[],
  changes: ResourceChange[],
  options: PlanOptions,
  targeted: boolean,
): PlanError | null {
  if (options.allowEmpty || targeted || desired.length > 0) return null;
  const destroyed = changes.filter((change) => hasAction(change.change.actions, "delete")).length;
  if (destroyed === 0) return null;
  return {
    code: "empty_manifests",
    message: `No manifests were found, so this plan would destroy every managed endpoint (${destroyed}). If that is intended, run again with --allow-empty.`,
  };
}

function summarize(changes: ResourceChange[]): Plan["summary"] {
  const summary = { add: 0, change: 0, destroy: 0 };
  for (const { change } of changes) {
    if (hasAction(change.actions, "create")) summary.add += 1;
    if (hasAction(change.actions, "delete")) summary.destroy += 1;
    if (change.actions[0] === "update") summary.change += 1;
  }
  return summary;
}

export function hasAction(actions: ChangeActions, action: PlanAction): boolean {
  return (actions as readonly PlanAction[]).includes(action);
}

function diffPatch(before: EndpointAttributes, after: EndpointAttributes): JsonPatchOperation[] {
  return jsonpatch.compare(before, after) as JsonPatchOperation[];
}
