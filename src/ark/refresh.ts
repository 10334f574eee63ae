// Reading live state for a plan (design §4): list every endpoint, ⌈N/100⌉ calls, and get only the
// endpoints whose list item lacks something the plan needs (list items carry no moderation).
import { compareStrings } from "../core/attribute-paths.js";
import type { LiveEndpoint } from "../core/types.js";
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
