// How each attribute can change on a live endpoint (docs/ark-api.md, UpdateEndpoint: Name, Description,
// Moderation, RateLimit). Sources disagree (Cloud Control marks every field create-only), so this one
// table decides, and it is the only place to change when Ark's API does. A foundation model can also
// switch in place, by Ark's rolling switch where the endpoint supports it: model-switch.ts decides that
// per endpoint, so the table keeps the answer for when it cannot.
import type { AttributeName, Impact } from "./types.js";

export const attributeMutability: Readonly<Record<AttributeName, Exclude<Impact, "none">>> = {
  name: "update",
  description: "update",
  rate_limit: "update",
  model_reference: "replace",
  model_unit_id: "replace",
  moderation: "update",
  project_name: "replace",
  // Ark has no tag API: tags are set by CreateEndpoint only.
  tags: "replace",
};

/**
 * What a value removed from a manifest (D absent, L present) does to a live endpoint
 * (docs/ark-api.md, "Removed attributes"): `reset` where the removal has a documented meaning on Ark;
 * `keep_live` where no source says how Ark resets it. A `keep_live` value is left as it is live and
 * no longer managed, as Terraform's volcenginecc does with an Optional+Computed attribute that
 * leaves the configuration: a guessed reset (RateLimit 0, Moderation Default) could take the
 * endpoint offline or change its filtering, while keeping the value is safe whatever Ark would do.
 */
export const attributeRemoval: Readonly<Record<AttributeName, "reset" | "keep_live">> = {
  // Required (project_name defaults to `default`): never absent from a manifest.
  name: "reset",
  project_name: "reset",
  model_reference: "reset",
  // UpdateEndpoint with Description "" clears it (ark-cli's endpoint update guide).
  description: "reset",
  // A replacement: CreateEndpoint without ModelUnitId is post-paid (82379/1262823).
  model_unit_id: "reset",
  moderation: "keep_live",
  rate_limit: "keep_live",
  // A replacement: CreateEndpoint sets exactly the tags it is given.
  tags: "reset",
};

/** The attributes in the order plans list them. */
export const attributeOrder: readonly AttributeName[] = [
  "name",
  "project_name",
  "description",
  "model_reference",
  "model_unit_id",
  "moderation",
  "rate_limit",
  "tags",
];
