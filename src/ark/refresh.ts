// Reading live state for a plan (docs/design.md §4): list every project the run names, ⌈Nₚ/100⌉ calls
// each with ProjectName set (docs/ark-api.md, ListEndpoints), and get only the endpoints whose list
// item lacks something the plan needs (list items carry no moderation), and the recorded endpoints no
// list returned, before anything takes them for gone.
import { compareStrings } from "../core/attribute-paths.js";
import { projectsToRead } from "../core/projects.js";
import type { DesiredEndpoint, LiveEndpoint, StateDocument } from "../core/types.js";
import type { ArkClient } from "./client.js";

/**
 * Every live endpoint of the projects, sorted by id. The projects are listed concurrently under the
 * client's parallelism. `needsFullRead` is asked about each list item; for those it answers true (the
 * manifest or last-applied of that endpoint manages moderation) the item is replaced by GetEndpoint's
 * answer, fetched the same way. An endpoint deleted between the list and the get is left out; one
 * moved between projects while they were listed is kept once.
 *
 * `expected` names endpoints the caller knows of (the state's): one that no list returned is read
 * with GetEndpoint before it counts as gone, because ListEndpoints pages with no snapshot and a delete
 * between two pages moves an endpoint onto a page already read (docs/ark-api.md, Confirming an
 * absence). Found, it is live with what GetEndpoint says; not found, it is left out.
 */
export async function readLiveEndpoints(
  client: Pick<ArkClient, "listEndpoints" | "getEndpoint">,
  projects: readonly string[],
  needsFullRead: (item: LiveEndpoint) => boolean,
  expected: Iterable<string> = [],
): Promise<LiveEndpoint[]> {
  const lists = await Promise.all(projects.map((projectName) => client.listEndpoints({ projectName })));
  const items = new Map(lists.flat().map((item) => [item.endpoint_id, item]));
  const unlisted = [...new Set(expected)].filter((id) => !items.has(id));
  const endpoints = await Promise.all([
    ...[...items.values()].map((item) => (needsFullRead(item) ? client.getEndpoint(item.endpoint_id) : item)),
    ...unlisted.map((id) => client.getEndpoint(id)),
  ]);
  return endpoints
    .filter((endpoint): endpoint is LiveEndpoint => endpoint !== null)
    .sort((a, b) => compareStrings(a.endpoint_id, b.endpoint_id));
}

/**
 * The live endpoints a plan of `desired` against `state` needs: every project they name listed, plus
 * GetEndpoint only for endpoints whose moderation is managed, and for endpoints the state records that
 * no list returned.
 */
export function readLiveForPlan(
  client: Pick<ArkClient, "listEndpoints" | "getEndpoint">,
  desired: DesiredEndpoint[],
  state: StateDocument | null,
): Promise<LiveEndpoint[]> {
  return readLiveEndpoints(
    client,
    projectsToRead(desired, state),
    managesModeration(desired, state),
    Object.values(state?.resources ?? {}).map((resource) => resource.endpoint_id),
  );
}

/** Whether a plan of `desired` against `state` manages an endpoint's moderation (its manifest or
 * last-applied record sets it), and so reads it in full: list items carry no moderation. */
export function managesModeration(
  desired: DesiredEndpoint[],
  state: StateDocument | null,
): (endpoint: LiveEndpoint) => boolean {
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
  return (endpoint) =>
    moderatedIds.has(endpoint.endpoint_id) ||
    (endpoint.owner_address !== undefined && moderatedAddresses.has(endpoint.owner_address));
}

/** An endpoint read in full (GetEndpoint) as a plan of `desired` against `state` sees it: without the
 * moderation it does not manage, which its list read would not carry. */
export function asPlanSeesIt(
  endpoint: LiveEndpoint,
  desired: DesiredEndpoint[],
  state: StateDocument | null,
): LiveEndpoint {
  if (endpoint.attributes.moderation === undefined || managesModeration(desired, state)(endpoint))
    return endpoint;
  const { moderation: _unread, ...attributes } = endpoint.attributes;
  return { ...endpoint, attributes };
}
