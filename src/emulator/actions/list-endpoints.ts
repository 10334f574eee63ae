// ListEndpoints: one project (ProjectName, `default` when absent or "", as 82379/1262430 says), filters,
// tag filters, sorting and 1-based pages. Choices where the public sources are silent: Filter.Name
// matches a substring (case-sensitive); TagFilters are ANDed across entries and ORed within one
// entry's Values (no Values: the key is present); the default order is CreateTime descending with Id
// as the tie-breaker. The `listSkipsEndpoints` switch leaves chosen endpoints off every page while
// TotalCount still counts them: a page read after a delete has shifted the list (docs/ark-api.md,
// Confirming an absence). `listShiftsPast` does so only for lists with no Filter and no TagFilters, the
// long listing a delete shifts, while a filtered list (one short page) still finds them.
import { invalidParameter } from "../api-error.js";
import { type ArkEndpoint, endpointModelTypes, endpointStatuses } from "../ark-types.js";
import { toListItem } from "../endpoint-store.js";
import {
  isJsonObject,
  type JsonObject,
  readArray,
  readEnum,
  readEnumArray,
  readInteger,
  readObject,
  readString,
  readStringArray,
  rejectUnknownKeys,
  requireString,
} from "../request-params.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";

type Predicate = (endpoint: ArkEndpoint) => boolean;

const sortFields = ["CreateTime", "UpdateTime"] as const;
/** `Failed` is seen in practice (docs/ark-api.md, Statuses), so a filter may name it. */
const filterStatuses = [...endpointStatuses, "Failed"] as const;
const sortOrders = ["Asc", "Desc"] as const;

export function listEndpoints(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, [
    "PageNumber",
    "PageSize",
    "ProjectName",
    "Filter",
    "TagFilters",
    "SortBy",
    "SortOrder",
  ]);
  const pageNumber = readInteger(params, "PageNumber", { min: 1 }) ?? 1;
  const pageSize = readInteger(params, "PageSize", { min: 1, max: 100 }) ?? 10;
  const projectName = readString(params, "ProjectName") || "default";
  const predicates = [...readFilter(params), ...readTagFilters(params)];
  const skipped = predicates.length > 0 ? context.listSkipsEndpoints : skippedUnfiltered(context);
  predicates.push((endpoint) => endpoint.ProjectName === projectName);
  const sortBy = readEnum(params, "SortBy", sortFields) ?? "CreateTime";
  const direction = (readEnum(params, "SortOrder", sortOrders) ?? "Desc") === "Asc" ? 1 : -1;

  const matching = context.store
    .all()
    .filter((endpoint) => predicates.every((predicate) => predicate(endpoint)))
    .sort(orderBy(sortBy, direction));
  const listed = matching.filter((endpoint) => !skipped.has(endpoint.Id));
  const start = (pageNumber - 1) * pageSize;
  return {
    result: {
      TotalCount: matching.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
      Items: listed.slice(start, start + pageSize).map(toListItem),
    },
    changed: false,
  };
}

/** What an unfiltered list leaves off its pages: the skipped endpoints and those it shifts past. */
function skippedUnfiltered(context: ActionContext): ReadonlySet<string> {
  if (context.listShiftsPast.size === 0) return context.listSkipsEndpoints;
  return new Set([...context.listSkipsEndpoints, ...context.listShiftsPast]);
}

/** Sorts by the field, then by Id, both in the direction (1 ascending, -1 descending). */
function orderBy(
  field: (typeof sortFields)[number],
  direction: 1 | -1,
): (a: ArkEndpoint, b: ArkEndpoint) => number {
  return (a, b) => direction * (compare(a[field], b[field]) || compare(a.Id, b.Id));
}

/** ListEndpoints' default order: newest first. */
export const defaultOrder = orderBy("CreateTime", -1);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readFilter(params: JsonObject): Predicate[] {
  const filter = readObject(params, "Filter");
  if (!filter) return [];
  const prefix = "Filter";
  rejectUnknownKeys(
    filter,
    [
      "Ids",
      "Name",
      "Statuses",
      "EndpointModelTypes",
      "FoundationModelName",
      "ModelVersions",
      "CustomModelIds",
    ],
    prefix,
  );
  const predicates: Predicate[] = [];
  const anyOf = (
    values: readonly string[] | undefined,
    pick: (endpoint: ArkEndpoint) => string | undefined,
  ) => {
    if (values && values.length > 0) {
      predicates.push((endpoint) => {
        const value = pick(endpoint);
        return value !== undefined && values.includes(value);
      });
    }
  };
  anyOf(readStringArray(filter, "Ids", prefix), (endpoint) => endpoint.Id);
  anyOf(readEnumArray(filter, "Statuses", filterStatuses, prefix), (endpoint) => endpoint.Status);
  anyOf(readEnumArray(filter, "EndpointModelTypes", endpointModelTypes, prefix), (e) => e.EndpointModelType);
  anyOf(
    readStringArray(filter, "ModelVersions", prefix),
    (e) => e.ModelReference.FoundationModel?.ModelVersion,
  );
  anyOf(
    readStringArray(filter, "CustomModelIds", prefix),
    (endpoint) => endpoint.ModelReference.CustomModelId,
  );
  const name = readString(filter, "Name", prefix);
  if (name) predicates.push((endpoint) => endpoint.Name.includes(name));
  const foundationModelName = readString(filter, "FoundationModelName", prefix);
  if (foundationModelName) {
    predicates.push((endpoint) => endpoint.ModelReference.FoundationModel?.Name === foundationModelName);
  }
  return predicates;
}

function readTagFilters(params: JsonObject): Predicate[] {
  const filters = readArray(params, "TagFilters") ?? [];
  return filters.map((filter, index): Predicate => {
    const prefix = `TagFilters[${index}]`;
    if (!isJsonObject(filter)) throw invalidParameter(prefix, "must be an object");
    rejectUnknownKeys(filter, ["Key", "Values"], prefix);
    const key = requireString(filter, "Key", prefix);
    const values = readStringArray(filter, "Values", prefix) ?? [];
    return (endpoint) =>
      endpoint.Tags.some((tag) => tag.Key === key && (values.length === 0 || values.includes(tag.Value)));
  });
}
