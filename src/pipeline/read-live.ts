// Reads live endpoints for a plan: one client, ⌈N/100⌉ list calls, and GetEndpoint only for endpoints
// whose manifest or last-applied record manages what list items lack (moderation).
import type { ArkClient } from "../ark/client.js";
import { readLiveEndpoints } from "../ark/refresh.js";
import type { DesiredEndpoint, LiveEndpoint, StateDocument } from "../core/types.js";

export async function readLiveForPlan(
  client: ArkClient,
  desired: DesiredEndpoint[],
  state: StateDocument | null,
): Promise<LiveEndpoint[]> {
  // A moved endpoint is still recorded under the address it moves from.
  const moderatedAddresses = new Set(
    desired
      .filter((endpoint) => endpoint.attributes.moderation)
      .flatMap((endpoint) => [endpoint.address, ...(endpoint.moved_from ? [endpoint.moved_from] : [])]),
  );
  const moderatedIds = new Set<string>();
  for (const [address, resource] of Object.entries(state?.resources ?? {})) {
    if (resource.last_applied?.moderation || moderatedAddresses.has(address))
      moderatedIds.add(resource.endpoint_id);
  }
  return readLiveEndpoints(
    client,
    (item) =>
      moderatedIds.has(item.endpoint_id) ||
      (item.owner_address !== undefined && moderatedAddresses.has(item.owner_address)),
  );
}
