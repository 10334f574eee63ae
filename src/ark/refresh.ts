// Reading live state for a plan (docs/design.md §4): list every endpoint, ⌈N/100⌉ calls, and get only the
// endpoints whose list item lacks something the plan needs (list items carry no moderation).
import { compareStrings } from "../core/attribute-paths.js";
import type { DesiredEndpoint, LiveEndpoint, StateDocument } from "../core/types.js";
import type { ArkClient } from "./client.js";
import type { ListEndpointsQuery } from "./mapping.js";

/**
 * Every live endpoint, sorted by id. `needsFullRead` is asked about each list item; for those it
 * answers true (the manifest or last-applied of that endpoint manages moderation) the item is
 * replaced by GetEndpoint's answer, fetched concurrently under the client's parallelism. An endpoint
 * deleted between the list and the get is left out.
 */
export async function readLiveEndpoints(
  client: Pick<ArkClient, "listEndpoints" | "getEndpoint">,
  needsFullRead: (item: LiveEndpoint) => boolean,
  query: ListEndpointsQuery = {},
): Promise<LiveEndpoint[]> {
  const items = await client.listEndpoints(query);
  const endpoints = await Promise.all(
    items.map((item) => (needsFullRead(item) ? client.getEndpoint(item.endpoint_id) : item)),
  );
  return endpoints
    .filter((endpoint): endpoint is LiveEndpoint => endpoint !== null)
    .sort((a, b) => compareStrings(a.endpoint_id, b.endpoint_id));
}

/**
 * The live endpoints a plan of `desired` against `state` needs: one list, plus GetEndpoint only for
 * endpoints whose manifest or last-applied record manages moderation.
 */
export function readLiveForPlan(
  client: Pick<ArkClient, "listEndpoints" | "getEndpoint">,
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
