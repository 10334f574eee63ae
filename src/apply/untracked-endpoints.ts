// Endpoints that carry ark-sync's ownership tag but that neither the state nor the plan accounts for:
// left by a run that died between creating a create-before-destroy replacement and destroying the old
// endpoint, or by a create whose manifest was removed before the next apply. Apply never deletes them
// on its own; it says where they are.
import type { LiveEndpoint, Plan, StateDocument } from "../core/types.js";

export function findUntrackedEndpoints(
  live: LiveEndpoint[],
  state: StateDocument | null,
  plan: Plan,
): LiveEndpoint[] {
  const known = new Set<string>();
  for (const resource of Object.values(state?.resources ?? {})) known.add(resource.endpoint_id);
  for (const change of plan.resource_changes) if (change.endpoint_id) known.add(change.endpoint_id);
  return live.filter((endpoint) => endpoint.owner_address !== undefined && !known.has(endpoint.endpoint_id));
}

export function describeUntracked(endpoint: LiveEndpoint): string {
  return (
    `${endpoint.endpoint_id} carries ark-sync's ownership tag for ${endpoint.owner_address}, but ark-sync does not track it ` +
    "(left by an interrupted create-before-destroy replacement, or created for a manifest removed since). " +
    `Delete it in the Ark console, or adopt it with: ark-sync import ${endpoint.owner_address} ${endpoint.endpoint_id}`
  );
}
