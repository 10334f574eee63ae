// The JSON plan (design §5), modelled on `terraform show -json`: the fields of §5 plus refreshed,
// warnings, errors, a moved resource's previous_address and a resource's lifecycle when set, in a fixed key order, attribute names as
// in the manifests. Every resource change is included, no-ops too, as Terraform does. Never any ANSI:
// control characters inside strings are \u escapes.
import type {
  DriftChange,
  JsonPatchOperation,
  Plan,
  PlanError,
  PlanWarning,
  ResourceChange,
  ResourceDrift,
} from "../core/types.js";
import { compareAttributeNames } from "./attribute-order.js";
import { sanitizeJson } from "./format-value.js";

/** Pretty-printed JSON ending with a newline. */
export function renderPlanJson(plan: Plan): string {
  const document = {
    format_version: plan.format_version,
    refreshed: plan.refreshed,
    resource_changes: plan.resource_changes.map(jsonResourceChange),
    resource_drift: plan.resource_drift.map(jsonDrift),
    unmanaged: plan.unmanaged.map(({ address, path, value }) => ({ address, path, value: sortKeys(value) })),
    warnings: plan.warnings.map(jsonDiagnostic),
    errors: plan.errors.map(jsonDiagnostic),
    summary: { add: plan.summary.add, change: plan.summary.change, destroy: plan.summary.destroy },
    state: plan.state === null ? null : { lineage: plan.state.lineage, serial: plan.state.serial },
    plan_hash: plan.plan_hash,
  };
  return `${sanitizeJson(JSON.stringify(document, null, 2))}\n`;
}

function jsonResourceChange(resource: ResourceChange) {
  const { change } = resource;
  return {
    address: resource.address,
    // Terraform's name and place for it; present only on a moved resource.
    ...(resource.previous_address === undefined ? {} : { previous_address: resource.previous_address }),
    endpoint_id: resource.endpoint_id,
    action_reason: resource.action_reason,
    // ark-sync's own: a saved plan must carry ignore_changes, which decides what apply records.
    ...(isEmpty(resource.lifecycle) ? {} : { lifecycle: sortKeys(resource.lifecycle) }),
    change: {
      actions: change.actions,
      before: orderAttributes(change.before),
      after: orderAttributes(change.after),
      after_unknown: sortKeys(change.after_unknown),
      replace_paths: change.replace_paths,
      patch: change.patch.map(jsonPatchOperation),
    },
  };
}

function isEmpty(record: object | undefined): boolean {
  return record === undefined || Object.keys(record).length === 0;
}

function jsonPatchOperation({ op, path, value }: JsonPatchOperation) {
  return value === undefined ? { op, path } : { op, path, value: sortKeys(value) };
}

function jsonDrift(drift: ResourceDrift) {
  return {
    address: drift.address,
    endpoint_id: drift.endpoint_id,
    kind: drift.kind,
    changes: drift.changes.map((change: DriftChange) => ({
      path: change.path,
      last_applied: sortKeys(change.last_applied),
      ...("live" in change && change.live !== undefined ? { live: sortKeys(change.live) } : {}),
    })),
  };
}

/** Warnings and errors: `address` only when the diagnostic is about one endpoint. */
function jsonDiagnostic({ code, address, message }: PlanWarning | PlanError) {
  return address === undefined ? { code, message } : { code, address, message };
}

/** Top-level attributes in plan order, nested keys sorted; list order (tags) kept, as patches index it. */
function orderAttributes(attributes: object | null): unknown {
  if (attributes === null) return null;
  const entries = Object.entries(attributes).sort(([a], [b]) => compareAttributeNames(a, b));
  return Object.fromEntries(entries.map(([key, value]) => [key, sortKeys(value)]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}
