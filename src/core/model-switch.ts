// How a new model_reference reaches an existing endpoint (docs/design.md §2): Ark's rolling switch
// (CreateEndpointRolling, docs/ark-api.md) moves traffic to the new foundation model on the same
// endpoint, so its endpoint_id is kept; where Ark cannot do that, the endpoint is replaced.
import type { Lifecycle, ModelReference, ModelSwitch } from "./types.js";

/**
 * `supportRolling` is the live endpoint's SupportRolling, or undefined when Ark did not say or the plan
 * did not read Ark. Unknown is planned as a replacement, the visible answer a reviewer can question,
 * unless the manifest asks for the rolling switch (Ark refuses it where it cannot, and nothing is lost).
 */
export function decideModelSwitch(
  before: ModelReference | undefined,
  after: ModelReference | undefined,
  supportRolling: boolean | undefined,
  preference: Lifecycle["model_switch"],
): ModelSwitch {
  if (preference === "replace") return { method: "replace", reason: "lifecycle_replace" };
  if (!isFoundationModel(before) || !isFoundationModel(after))
    return { method: "replace", reason: "custom_model" };
  if (supportRolling === true) return { method: "rolling" };
  if (supportRolling === false) return { method: "replace", reason: "support_rolling_false" };
  return preference === "rolling"
    ? { method: "rolling" }
    : { method: "replace", reason: "support_rolling_unknown" };
}

function isFoundationModel(reference: ModelReference | undefined): boolean {
  return reference !== undefined && "foundation_model" in reference;
}

/** Why a new model replaces the endpoint, as the plan says it: `the model cannot switch in place: …`. */
export function describeModelReplaceReason(
  model: Extract<ModelSwitch, { method: "replace" }>,
  endpointId: string | null,
): string {
  const why = (() => {
    switch (model.reason) {
      case "lifecycle_replace":
        return "lifecycle.model_switch is replace";
      case "custom_model":
        return "Ark switches only foundation models in place, and a custom model is involved";
      case "support_rolling_false":
        return `Ark reports SupportRolling false for ${endpointId ?? "the endpoint"}`;
      case "support_rolling_unknown":
        return "Ark did not say whether it can (SupportRolling); lifecycle.model_switch: rolling switches it in place";
    }
  })();
  return `the model cannot switch in place: ${why}`;
}
