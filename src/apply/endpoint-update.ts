// The UpdateEndpoint call for an in-place change: only the attributes that differ between the live
// endpoint (`before`) and the plan's result (`after`). A description the manifest no longer sets is
// reset (null), the one reset Ark documents; rate_limit and moderation are never reset: the plan keeps
// them live (docs/ark-api.md, "Removed attributes"). Which attributes can change in place is decided
// by the mutability table; this switch only knows how each one is sent.
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
      update.rate_limit = after.rate_limit ?? noDocumentedReset(name);
      return;
    case "moderation":
      update.moderation = after.moderation ?? noDocumentedReset(name);
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

/** A plan that unsets an attribute Ark documents no reset for: computePlan never makes one. */
function noDocumentedReset(name: AttributeName): never {
  throw new ArkSyncError(
    "internal",
    "apply_undocumented_reset",
    `the plan unsets ${name}, but Ark documents no way to reset it; ark-sync leaves such a value as it is live.`,
    { hint: "Plan again with this version of ark-sync and apply that plan." },
  );
}

export function isEmptyUpdate(update: EndpointUpdate): boolean {
  return Object.keys(update).length === 0;
}
