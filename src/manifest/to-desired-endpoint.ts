// Builds the DesiredEndpoint of a valid manifest document: defaults applied, tags sorted by key,
// absent attributes left absent, and nothing shared with the parsed YAML.

import { compareStrings } from "../core/attribute-paths.js";
import type { DesiredEndpoint, EndpointAttributes, Lifecycle, SourceLocation } from "../core/types.js";

/** The shape of a document that passed the schema and the rules. */
export interface EndpointManifest {
  apiVersion: "ark-sync/v1";
  kind: "Endpoint";
  name: string;
  description?: string;
  project_name?: string;
  model_reference:
    | { foundation_model: { name: string; model_version: string } }
    | { custom_model_id: string };
  model_unit_id?: string;
  moderation?: { strategy: "Default" | "Basic" };
  rate_limit?: { rpm?: number; tpm?: number };
  tags?: Array<{ key: string; value: string }>;
  lifecycle?: Lifecycle;
  moved_from?: string;
}

export const DEFAULT_PROJECT_NAME = "default";

export function toDesiredEndpoint(manifest: EndpointManifest, source: SourceLocation): DesiredEndpoint {
  const attributes: EndpointAttributes = {
    name: manifest.name,
    project_name: manifest.project_name ?? DEFAULT_PROJECT_NAME,
  };
  // Ark reads an empty description or model unit as unset, so they are written as unset here too:
  // otherwise "" in a manifest would differ from live forever.
  if (manifest.description) attributes.description = manifest.description;
  const reference = manifest.model_reference;
  attributes.model_reference =
    "foundation_model" in reference
      ? {
          foundation_model: {
            name: reference.foundation_model.name,
            model_version: reference.foundation_model.model_version,
          },
        }
      : { custom_model_id: reference.custom_model_id };
  if (manifest.model_unit_id) attributes.model_unit_id = manifest.model_unit_id;
  if (manifest.moderation !== undefined) attributes.moderation = { strategy: manifest.moderation.strategy };
  if (manifest.rate_limit !== undefined) {
    const { rpm, tpm } = manifest.rate_limit;
    attributes.rate_limit = {
      ...(rpm === undefined ? {} : { rpm }),
      ...(tpm === undefined ? {} : { tpm }),
    };
  }
  if (manifest.tags !== undefined) {
    attributes.tags = manifest.tags
      .map(({ key, value }) => ({ key, value }))
      .sort((a, b) => compareStrings(a.key, b.key));
  }
  return {
    address: `${attributes.project_name}/${attributes.name}`,
    attributes,
    lifecycle: toLifecycle(manifest.lifecycle),
    ...(manifest.moved_from === undefined ? {} : { moved_from: manifest.moved_from }),
    source: { ...source },
  };
}

function toLifecycle(lifecycle: Lifecycle | undefined): Lifecycle {
  const result: Lifecycle = {};
  if (lifecycle?.prevent_destroy !== undefined) result.prevent_destroy = lifecycle.prevent_destroy;
  if (lifecycle?.create_before_destroy !== undefined)
    result.create_before_destroy = lifecycle.create_before_destroy;
  if (lifecycle?.model_switch !== undefined) result.model_switch = lifecycle.model_switch;
  if (lifecycle?.ignore_changes !== undefined)
    result.ignore_changes = [...lifecycle.ignore_changes].sort(compareStrings);
  return result;
}
