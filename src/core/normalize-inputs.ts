// The planner's inputs in canonical form. Loaders validate what they read, but the core still
// trusts nothing: values of the wrong shape are normalised away (or the entry dropped) here, once,
// so the rest of the core can rely on its types and computePlan never throws.
import { compareStrings, flattenAttributes, unflattenAttributes } from "./attribute-paths.js";
import { attributeOrder } from "./mutability.js";
import type {
  DesiredEndpoint,
  EndpointAttributes,
  IgnoredWrite,
  Lifecycle,
  LiveEndpoint,
  StateDocument,
  StateResource,
  Tag,
} from "./types.js";

/** Keys in plan order, nested keys sorted, tags sorted by key, unset and malformed values absent. */
export function normalizeAttributes(attributes: unknown): EndpointAttributes {
  const normal =
    buildNormal(attributes) ??
    unflattenAttributes(flattenAttributes(attributes as EndpointAttributes).values());
  if (typeof normal.name !== "string") normal.name = "";
  if (typeof normal.project_name !== "string") normal.project_name = "default";
  return normal;
}

/**
 * What the leaf round trip above builds, built directly (it runs for every endpoint of every plan, and
 * the leaves cost a path array and a key string each); null for a shape no loader produces (tags not a
 * list, a tag key twice, a `__proto__` key), which the round trip handles.
 */
function buildNormal(attributes: unknown): EndpointAttributes | null {
  if (!isRecord(attributes)) return null;
  const normal: Record<string, unknown> = {};
  for (const name of attributeOrder) {
    const value = attributes[name];
    if (value === undefined || value === null) continue;
    const built = name === "tags" ? buildTags(value) : isRecord(value) ? buildRecord(value) : value;
    if (built === null) return null;
    if (built !== undefined) normal[name] = built;
  }
  return normal as unknown as EndpointAttributes;
}

/** Keys sorted, unset values dropped; undefined when nothing is set, null for a `__proto__` key. */
function buildRecord(record: Record<string, unknown>): Record<string, unknown> | null | undefined {
  let built: Record<string, unknown> | undefined;
  for (const key of Object.keys(record).sort()) {
    if (key === "__proto__") return null;
    const value = record[key];
    if (value === undefined || value === null) continue;
    const inner = isRecord(value) ? buildRecord(value) : value;
    if (inner === null) return null;
    if (inner === undefined) continue;
    built ??= {};
    built[key] = inner;
  }
  return built;
}

function buildTags(tags: unknown): Tag[] | null | undefined {
  if (!Array.isArray(tags)) return null;
  const built: Tag[] = [];
  const keys = new Set<string>();
  for (const tag of tags) {
    if (!isRecord(tag) || typeof tag.key !== "string") continue;
    if (keys.has(tag.key)) return null;
    keys.add(tag.key);
    built.push({ key: tag.key, value: tag.value as string });
  }
  return built.length === 0 ? undefined : built.sort((a, b) => compareStrings(a.key, b.key));
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
