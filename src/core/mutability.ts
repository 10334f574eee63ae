// How each attribute can change on a live endpoint. Sources disagree (Cloud Control marks every field
// create-only; ModelArk documents UpdateEndpoint for name, description and rate_limit), so this one
// table decides, and it is the only place to change when Ark's API does.
import type { AttributeName, Impact } from "./types.js";

export const attributeMutability: Readonly<Record<AttributeName, Exclude<Impact, "none">>> = {
  name: "update",
  description: "update",
  rate_limit: "update",
  model_reference: "replace",
  model_unit_id: "replace",
  moderation: "replace",
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
