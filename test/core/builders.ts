// Small builders for core tests: plain data, no I/O.
import type {
  DesiredEndpoint,
  EndpointAttributes,
  Lifecycle,
  LiveEndpoint,
  StateDocument,
  StateResource,
} from "../../src/core/types.js";

export const baseAttributes: EndpointAttributes = {
  name: "chat",
  project_name: "default",
  model_reference: { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250115" } },
  rate_limit: { rpm: 10, tpm: 5 },
  tags: [{ key: "env", value: "prod" }],
};

export function attrs(overrides: Partial<EndpointAttributes> = {}): EndpointAttributes {
  const merged: Record<string, unknown> = { ...structuredClone(baseAttributes), ...overrides };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as unknown as EndpointAttributes;
}

export function desired(attributes: EndpointAttributes, lifecycle: Lifecycle = {}): DesiredEndpoint {
  return {
    address: `${attributes.project_name}/${attributes.name}`,
    attributes,
    lifecycle,
    source: { file: `manifests/${attributes.name}.yaml`, line: 1, col: 1 },
  };
}

export function live(
  endpointId: string,
  attributes: EndpointAttributes,
  extra: Partial<LiveEndpoint> = {},
): LiveEndpoint {
  return { endpoint_id: endpointId, attributes, status: "Running", ...extra };
}

export function state(resources: Record<string, StateResource>): StateDocument {
  return { version: 1, lineage: "00000000-0000-4000-8000-000000000000", serial: 7, resources };
}

export function applied(endpointId: string, lastApplied: EndpointAttributes | null): StateResource {
  return { endpoint_id: endpointId, last_applied: lastApplied, applied_at: "2026-11-01T00:00:00Z" };
}
