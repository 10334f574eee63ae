// The planner's inputs in canonical form. Loaders validate what they read, but the core still
// trusts nothing: values of the wrong shape are normalised away (or the entry dropped) here, once,
// so the rest of the core can rely on its types and computePlan never throws.
import { flattenAttributes, unflattenAttributes } from "./attribute-paths.js";
import type {
  DesiredEndpoint,
  EndpointAttributes,
  IgnoredWrite,
  Lifecycle,
  LiveEndpoint,
  StateDocument,
  StateResource,
} from "./types.js";

/** Keys in plan order, tags sorted by key, unset and malformed values absent. */
export function normalizeAttributes(attributes: unknown): EndpointAttributes {
  const normal = unflattenAttributes(flattenAttributes(attributes as EndpointAttributes).values());
  if (typeof normal.name !== "string") normal.name = "";
  if (typeof normal.project_name !== "string") normal.project_name = "default";
  return normal;
}

export function normalizeDesired(desired: unknown): DesiredEndpoint[] {
  if (!Array.isArray(desired)) return [];
  return desired.filter(isRecord).flatMap((endpoint) => {
    if (typeof endpoint.address !== "string") return [];
    const normal: DesiredEndpoint = {
      address: endpoint.address,
      attributes: normalizeAttributes(endpoint.attributes),
      lifecycle: normalizeLifecycle(endpoint.lifecycle),
      source: endpoint.source as DesiredEndpoint["source"],
    };
    // A move to the endpoint's own address is no move.
    const movedFrom = endpoint.moved_from;
    if (typeof movedFrom === "string" && movedFrom !== endpoint.address) normal.moved_from = movedFrom;
    return [normal];
  });
}

export function normalizeState(state: unknown): StateDocument | null {
  if (!isRecord(state)) return null;
  const entries = Object.entries(isRecord(state.resources) ? state.resources : {}).flatMap(
    ([address, resource]) =>
      isRecord(resource) && typeof resource.endpoint_id === "string"
        ? [
            [
              address,
              {
                ...(resource as unknown as StateResource),
                last_applied: isRecord(resource.last_applied)
                  ? normalizeAttributes(resource.last_applied)
                  : null,
                ignored_writes: normalizeIgnoredWrites(resource.ignored_writes),
              },
            ] as const,
          ]
        : [],
  );
  // fromEntries defines own properties, so an address like "__proto__" stays data.
  return { ...(state as unknown as StateDocument), resources: Object.fromEntries(entries) };
}

export function normalizeLive(live: unknown): LiveEndpoint[] | null {
  if (!Array.isArray(live)) return null;
  return live
    .filter(isRecord)
    .filter((endpoint) => typeof endpoint.endpoint_id === "string")
    .map((endpoint) => ({
      ...(endpoint as unknown as LiveEndpoint),
      attributes: normalizeAttributes(endpoint.attributes),
      status: String(endpoint.status ?? ""),
    }));
}

/** Only well-formed records: a path of strings and a known action. */
function normalizeIgnoredWrites(records: unknown): IgnoredWrite[] {
  if (!Array.isArray(records)) return [];
  return records.filter(
    (record): record is IgnoredWrite =>
      isRecord(record) &&
      Array.isArray(record.path) &&
      record.path.length > 0 &&
      record.path.every((step) => typeof step === "string") &&
      (record.action === "CreateEndpoint" || record.action === "UpdateEndpoint"),
  );
}

function normalizeLifecycle(lifecycle: unknown): Lifecycle {
  if (!isRecord(lifecycle)) return {};
  const normal: Lifecycle = {};
  if (lifecycle.prevent_destroy === true) normal.prevent_destroy = true;
  if (lifecycle.create_before_destroy === true) normal.create_before_destroy = true;
  if (lifecycle.model_switch === "rolling" || lifecycle.model_switch === "replace")
    normal.model_switch = lifecycle.model_switch;
  if (Array.isArray(lifecycle.ignore_changes)) {
    normal.ignore_changes = lifecycle.ignore_changes.filter((path) => typeof path === "string");
  }
  return normal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
