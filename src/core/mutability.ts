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
