// `ark-sync refresh`: accept drift by writing the live values of managed paths into last-applied
// (Terraform's apply -refresh-only). Pure: returns the drift and the new resources, inputs untouched.
import { compareStrings, flattenAttributes, pathKey, unflattenAttributes } from "./attribute-paths.js";
import { diffThreeWay } from "./three-way.js";
import type { Address, LiveEndpoint, ResourceDrift, StateResource } from "./types.js";

export interface AcceptedDrift {
  /** What changed outside ark-sync, as a plan reports it, sorted by address. */
  drift: ResourceDrift[];
  /** The state's resources with the drift accepted; endpoints gone from Ark are forgotten. */
  resources: Record<Address, StateResource>;
}

export function acceptDrift(
  resources: Readonly<Record<Address, StateResource>>,
  live: LiveEndpoint[],
): AcceptedDrift {
  const liveById = new Map(live.map((endpoint) => [endpoint.endpoint_id, endpoint]));
  const accepted: AcceptedDrift = { drift: [], resources: {} };
  for (const [address, resource] of Object.entries(resources).sort(([a], [b]) => compareStrings(a, b))) {
    const current = liveById.get(resource.endpoint_id);
    if (!current) {
      accepted.drift.push({ address, endpoint_id: resource.endpoint_id, kind: "deleted", changes: [] });
      continue;
    }
    if (!resource.last_applied) {
      accepted.resources[address] = resource;
      continue;
    }
    // Drift is V ≠ L on the paths ark-sync manages: exactly what the plan's drift section shows.
    const { drift } = diffThreeWay({
      desired: resource.last_applied,
      lastApplied: resource.last_applied,
      live: current.attributes,
      ignoreChanges: [],
    });
    if (drift.length === 0) {
      accepted.resources[address] = resource;
      continue;
    }
    accepted.drift.push({ address, endpoint_id: resource.endpoint_id, kind: "changed", changes: drift });
    const leaves = flattenAttributes(resource.last_applied);
    for (const change of drift) {
      if (change.live === undefined) leaves.delete(pathKey(change.path));
      else leaves.set(pathKey(change.path), { path: change.path, value: change.live });
    }
    accepted.resources[address] = { ...resource, last_applied: unflattenAttributes(leaves.values()) };
  }
  return accepted;
}
