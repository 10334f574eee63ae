// The UpdateEndpoint call for an in-place change: only the attributes that differ between the live
// endpoint (`before`) and the plan's result (`after`). An attribute the manifest no longer sets is
// reset (null). Which attributes can change in place is decided by the mutability table; this switch
// only knows how each one is sent.
import type { EndpointUpdate } from "../ark/mapping.js";
import { ArkSyncError } from "../core/errors.js";
import { attributeOrder } from "../core/mutability.js";
import { canonicalJson } from "../core/plan-hash.js";
import type { AttributeName, EndpointAttributes } from "../core/types.js";

export function toEndpointUpdate(before: EndpointAttributes, after: EndpointAttributes): EndpointUpdate {
  const update: EndpointUpdate = {};
  for (const name of attributeOrder) {
    if (canonicalJson(before[name] ?? null) === canonicalJson(after[name] ?? null)) continue;
    setField(update, name, after);
  }
  return update;
}

function setField(update: EndpointUpdate, name: AttributeName, after: EndpointAttributes): void {
  switch (name) {
    case "name":
      update.name = after.name;
      return;
    case "description":
      update.description = after.description ?? null;
      return;
    case "rate_limit":
      update.rate_limit = after.rate_limit ?? null;
      return;
    case "moderation":
      // Ark has no "no moderation": a dropped one goes back to `Default`, Ark's own default (docs/ark-api.md).
      update.moderation = after.moderation ?? { strategy: "Default" };
      return;
    case "project_name":
    case "model_reference":
    case "model_unit_id":
    case "tags":
      throw new ArkSyncError(
        "internal",
        "apply_not_updatable",
        `${name} cannot change in place (UpdateEndpoint does not take it), but the plan updates it in place.`,
      );
  }
}

export function isEmptyUpdate(update: EndpointUpdate): boolean {
  return Object.keys(update).length === 0;
}
