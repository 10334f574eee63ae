// UpdateEndpoint: Name, Description, RateLimit, Moderation and Tags change in place (docs/ark-api.md);
// nothing else is accepted. Tags replace the endpoint's tags, but for Ark's own (`sys:`, `volc:`) the
// request does not name, which stay. A RateLimit replaces the previous one whole, members the request
// leaves out included (the pessimistic answer: Ark may merge instead). Refused while Scheduling. Fields
// the `ignoreUpdateFields` knob names are checked and answered with success, but left as they are.
import { systemTagPrefixOf } from "../../core/reserved-tags.js";
import { ApiError } from "../api-error.js";
import type { ArkTag } from "../ark-types.js";
import type { IgnorableUpdateField } from "../ignored-fields.js";
import { type JsonObject, readNonEmptyString, readString, rejectUnknownKeys } from "../request-params.js";
import type { ActionContext, ActionOutcome } from "./action-context.js";
import { readModeration, readRateLimit, readTags, requireEndpoint, sortTags } from "./endpoint-params.js";

export function updateEndpoint(params: JsonObject, context: ActionContext): ActionOutcome {
  rejectUnknownKeys(params, ["Id", "Name", "Description", "RateLimit", "Moderation", "Tags"]);
  const endpoint = requireEndpoint(params, context.store);
  const name = readNonEmptyString(params, "Name");
  const description = readString(params, "Description");
  const rateLimit = readRateLimit(params);
  const moderation = readModeration(params);
  const tags = params.Tags === undefined ? undefined : withSystemTags(readTags(params), endpoint.Tags);
  if (endpoint.Status === "Scheduling") {
    throw new ApiError(
      "OperationDenied.EndpointStatus",
      `The endpoint ${endpoint.Id} is Scheduling; it can be updated once it is Running, Stopped or Abnormal.`,
    );
  }
  const applies = (field: IgnorableUpdateField) => !context.ignoreUpdateFields.has(field);
  let changed = false;
  if (name !== undefined && applies("Name") && name !== endpoint.Name) {
    endpoint.Name = name;
    changed = true;
  }
  if (description !== undefined && applies("Description") && description !== endpoint.Description) {
    endpoint.Description = description;
    changed = true;
  }
  if (
    rateLimit !== undefined &&
    applies("RateLimit") &&
    JSON.stringify(rateLimit) !== JSON.stringify(endpoint.RateLimit)
  ) {
    endpoint.RateLimit = rateLimit;
    changed = true;
  }
  if (
    moderation !== undefined &&
    applies("Moderation") &&
    moderation.Strategy !== endpoint.Moderation.Strategy
  ) {
    endpoint.Moderation = moderation;
    changed = true;
  }
  if (tags !== undefined && JSON.stringify(tags) !== JSON.stringify(endpoint.Tags)) {
    endpoint.Tags = tags;
    changed = true;
  }
  if (changed) context.store.touch(endpoint.Id);
  return { result: {}, changed };
}

/** The request's tags, and the endpoint's own system tags whose keys the request does not name. */
function withSystemTags(requested: ArkTag[], current: readonly ArkTag[]): ArkTag[] {
  const named = new Set(requested.map((tag) => tag.Key));
  const kept = current.filter((tag) => systemTagPrefixOf(tag.Key) !== undefined && !named.has(tag.Key));
  return sortTags([...requested, ...kept]);
}
