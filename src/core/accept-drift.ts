// `ark-sync refresh`: accept drift by writing live values of managed paths into last-applied
// (Terraform's apply -refresh-only). Pure: returns the new resources, inputs untouched.
import { flattenAttributes, unflattenAttributes } from "./attribute-paths.js";
import { canonicalJson } from "./plan-hash.js";
import type { Address, LiveEndpoint, StateResource } from "./types.js";

export interface AcceptedDrift {
  resources: Record<Address, StateResource>;
  /** Addresses whose endpoint is gone from Ark: forgotten. */
  forgotten: Address[];
  /** Addresses whose last-applied record changed. */
  updated: Address[];
}

export function acceptDrift(
  resources: Readonly<Record<Address, StateResource>>,
  live: LiveEndpoint[],
): AcceptedDrift {
  const liveById = new Map(live.map((endpoint) => [endpoint.endpoint_id, endpoint]));
  const accepted: AcceptedDrift = { resources: {}, forgotten: [], updated: [] };
  for (const [address, resource] of Object.entries(resources)) {
    const current = liveById.get(resource.endpoint_id);
    if (!current) {
      accepted.forgotten.push(address);
      continue;
    }
    if (!resource.last_applied) {
      accepted.resources[address] = resource;
      continue;
    }
    // Only the paths ark-sync manages (those last applied) take the live value; a path gone from
    // live is dropped. Live-only values stay unmanaged.
    const liveLeaves = flattenAttributes(current.attributes);
    const managed = [...flattenAttributes(resource.last_applied)].flatMap(([key]) => {
      const leaf = liveLeaves.get(key);
      return leaf ? [leaf] : [];
    });
    const lastApplied = unflattenAttributes(managed);
    const previous = unflattenAttributes(flattenAttributes(resource.last_applied).values());
    if (canonicalJson(lastApplied) === canonicalJson(previous)) {
      accepted.resources[address] = resource;
    } else {
      accepted.resources[address] = { ...resource, last_applied: lastApplied };
      accepted.updated.push(address);
    }
  }
  return accepted;
}
