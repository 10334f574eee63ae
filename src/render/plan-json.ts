// The JSON plan (docs/design.md §5), modelled on `terraform show -json`: the fields of §5 plus refreshed,
// no_longer_managed, warnings, errors, a moved resource's previous_address, a resource's lifecycle when
// set, its live status when known and the prepaid capacity a destroy releases, in a fixed key order,
// attribute names as in the manifests. Every resource change is included, no-ops too, as Terraform does.
// Never any ANSI: control characters inside strings are \u escapes. It is also the saved plan
// (`plan --out FILE`), read back here as exactly the Plan it was written from.
import { readFile } from "node:fs/promises";
import { ArkSyncError } from "../core/errors.js";
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
    no_longer_managed: plan.no_longer_managed.map(({ address, path, value, last_applied }) => ({
      address,
      path,
      value: sortKeys(value),
      last_applied: sortKeys(last_applied),
    })),
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
    // How a new model is put on the endpoint: Ark's rolling switch, or a replacement and why.
    ...(resource.model_switch === undefined ? {} : { model_switch: sortKeys(resource.model_switch) }),
    // Apply waits for an endpoint still provisioning (Scheduling) before updating it.
    ...(resource.status === undefined ? {} : { status: resource.status }),
    // What a destroy or replacement releases: the endpoint's model unit and TPM guarantee package.
    ...(resource.prepaid_capacity === undefined
      ? {}
      : { prepaid_capacity: sortKeys(resource.prepaid_capacity) }),
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

const REWRITE_HINT = "Write it with: ark-sync plan --out FILE";

/** Reads a saved plan file; see parsePlanJson. */
export async function readPlanFile(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : String(error);
    throw new ArkSyncError(
      "input",
      "plan_file_unreadable",
      `Could not read the plan file ${path}: ${reason}`,
      {
        hint: "Write it first with: ark-sync plan --out FILE",
        cause: error,
      },
    );
  }
  return parsePlanJson(text, path);
}

/**
 * The Plan that renderPlanJson wrote `text` from; `source` names the text in messages. Fields that
 * renderPlanJson leaves out when empty read back as the Plan has them (lifecycle `{}`, no status).
 * Only the outline is checked here; apply checks what it relies on (saved-plan.ts).
 */
export function parsePlanJson(text: string, source: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArkSyncError("input", "plan_file_invalid", `${source} is not JSON, so not a saved plan`, {
      hint: REWRITE_HINT,
    });
  }
  const document = value as Partial<Plan> | null;
  const fail = (what: string) =>
    new ArkSyncError("input", "plan_file_invalid", `${source} is not a saved ark-sync plan: ${what}`, {
      hint: REWRITE_HINT,
    });
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw fail("not a JSON object");
  if (document.format_version !== "1.0")
    throw fail(`format_version is ${JSON.stringify(document.format_version)}, not "1.0"`);
  if (!Array.isArray(document.resource_changes)) throw fail("resource_changes is not a list");
  const summary = document.summary;
  if (!summary || ![summary.add, summary.change, summary.destroy].every((n) => Number.isSafeInteger(n))) {
    throw fail("summary is not {add, change, destroy}");
  }
  const resourceChanges = document.resource_changes.map((entry, i) => {
    const rc = entry as Partial<ResourceChange> | null;
    if (!rc || typeof rc.address !== "string" || !rc.change || !Array.isArray(rc.change.actions)) {
      throw fail(`resource_changes[${i}] has no address or actions`);
    }
    const { change } = rc;
    // The fields jsonResourceChange writes, and only those.
    return {
      address: rc.address,
      ...(rc.previous_address === undefined ? {} : { previous_address: rc.previous_address }),
      endpoint_id: rc.endpoint_id ?? null,
      action_reason: rc.action_reason ?? null,
      lifecycle: rc.lifecycle ?? {},
      ...(rc.model_switch === undefined ? {} : { model_switch: rc.model_switch }),
      ...(rc.status === undefined ? {} : { status: rc.status }),
      ...(rc.prepaid_capacity === undefined ? {} : { prepaid_capacity: rc.prepaid_capacity }),
      change: {
        actions: change.actions,
        before: change.before ?? null,
        after: change.after ?? null,
        after_unknown: change.after_unknown ?? {},
        replace_paths: change.replace_paths ?? [],
        patch: change.patch ?? [],
      },
    };
  });
  return {
    format_version: "1.0",
    refreshed: document.refreshed ?? true,
    resource_changes: resourceChanges,
    resource_drift: Array.isArray(document.resource_drift) ? document.resource_drift : [],
    unmanaged: Array.isArray(document.unmanaged) ? document.unmanaged : [],
    no_longer_managed: Array.isArray(document.no_longer_managed) ? document.no_longer_managed : [],
    warnings: Array.isArray(document.warnings) ? document.warnings : [],
    errors: Array.isArray(document.errors) ? document.errors : [],
    summary: { add: summary.add, change: summary.change, destroy: summary.destroy },
    state: document.state ?? null,
    plan_hash: typeof document.plan_hash === "string" ? document.plan_hash : "",
  };
}
