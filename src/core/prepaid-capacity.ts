// Prepaid capacity that a destroy or replacement releases (docs/ark-api.md, Prepaid capacity): the
// model unit (`model_unit_id`, ModelUnitId) and the TPM guarantee package (ScaleTierId) the endpoint
// holds. Ark documents what each is, not what becomes of it when its endpoint is deleted, so the
// plan says that the endpoint lets go of it and leaves the capacity itself to the console.
import type { LiveEndpoint, PlanWarning, PrepaidCapacity, ResourceChange } from "./types.js";

/**
 * What the endpoint `change` destroys (a delete, or the old half of a replacement) holds: its model
 * unit from `before` (live, or last-applied without refresh) and `live`'s TPM guarantee package.
 * Undefined for any other change, and for an endpoint that holds neither.
 */
export function releasedCapacity(
  change: ResourceChange,
  live: LiveEndpoint | undefined,
): PrepaidCapacity | undefined {
  const before = change.change.before;
  const destroys = (change.change.actions as readonly string[]).includes("delete");
  if (!destroys || before === null) return undefined;
  const capacity: PrepaidCapacity = {};
  if (isSet(before.model_unit_id)) capacity.model_unit_id = before.model_unit_id;
  if (isSet(live?.scale_tier_id)) capacity.scale_tier_id = live.scale_tier_id;
  return Object.keys(capacity).length > 0 ? capacity : undefined;
}

/** The warning for a change that releases `capacity`: what it holds, and what the plan does to it. */
export function prepaidCapacityWarning(change: ResourceChange, capacity: PrepaidCapacity): PlanWarning {
  const { address, endpoint_id: id } = change;
  const actions = change.change.actions;
  const what = describeCapacity(capacity);
  const sentences = [
    actions.length === 1
      ? `${address} (${id}) holds prepaid capacity (${what}): destroying it releases that capacity from the endpoint.`
      : `${address} (${id}) holds prepaid capacity (${what}): replacing it destroys the endpoint, which releases that capacity.`,
  ];
  const after = change.change.after;
  if (after !== null) {
    const unit = after.model_unit_id;
    sentences.push(
      isSet(unit)
        ? `The new endpoint is created with model unit ${unit}${actions[0] === "create" && unit === capacity.model_unit_id ? ", while the old one still holds it" : ""}.`
        : "The new endpoint is created without a model unit (post-paid).",
    );
    if (capacity.scale_tier_id !== undefined) {
      sentences.push("The TPM guarantee package does not follow: CreateEndpoint has no field for it.");
    }
  }
  sentences.push(
    "Ark documents neither whether released capacity can be bound to another endpoint nor whether it stays billed: check it in the Ark console before applying.",
  );
  return { code: "prepaid_capacity", address, message: sentences.join(" ") };
}

/** `model unit mu-…, TPM guarantee package st-…`: the members that are set. */
export function describeCapacity(capacity: PrepaidCapacity): string {
  return [
    ...(capacity.model_unit_id === undefined ? [] : [`model unit ${capacity.model_unit_id}`]),
    ...(capacity.scale_tier_id === undefined ? [] : [`TPM guarantee package ${capacity.scale_tier_id}`]),
  ].join(", ");
}

function isSet(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}
