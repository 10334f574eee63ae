// Endpoints that carry ark-sync's ownership tag but that neither the state nor the plan accounts for:
// left by a run that died between creating a create-before-destroy replacement and destroying the old
// endpoint, by a create whose manifest was removed before the next apply, or by `state rm`. They run
// and bill unseen, so every plan warns about them; nothing ever deletes them on its own.
import { compareStrings } from "./attribute-paths.js";
import { isOwnedByState } from "./ownership.js";
import type { Address, LiveEndpoint, PlanWarning, ResourceChange, StateDocument } from "./types.js";

export function untrackedEndpointWarnings(
  live: readonly LiveEndpoint[],
  state: StateDocument | null,
  changes: readonly ResourceChange[],
  isPlanned: (address: Address) => boolean,
): PlanWarning[] {
  const known = new Set<string>();
  for (const resource of Object.values(state?.resources ?? {})) known.add(resource.endpoint_id);
  for (const change of changes) if (change.endpoint_id) known.add(change.endpoint_id);
  return (
    live
      .filter(
        (endpoint) => isOwnedByState(endpoint, state?.lineage ?? null) && !known.has(endpoint.endpoint_id),
      )
      .filter(({ owner_address }) => isPlanned(owner_address as Address))
      // By address, like the rest of the plan; ids keep namesakes in a stable order.
      .sort(
        (a, b) =>
          compareStrings(a.owner_address ?? "", b.owner_address ?? "") ||
          compareStrings(a.endpoint_id, b.endpoint_id),
      )
      .map(({ endpoint_id, owner_address }) => ({
        code: "untracked_endpoint",
        address: owner_address as Address,
        message:
          `${endpoint_id} carries ark-sync's ownership tag for ${owner_address}, but ark-sync does not track it ` +
          "(left by an interrupted create-before-destroy replacement, a create whose manifest was removed since, or state rm). " +
          `Delete it in the Ark console, or adopt it with: ark-sync import ${owner_address} ${endpoint_id}`,
      }))
  );
}
