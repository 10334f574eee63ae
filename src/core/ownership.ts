// Which state owns a live endpoint (docs/design.md §6): the one whose lineage its `ark-sync:state`
// tag names. Endpoints tagged before that tag existed carry only their address and stay recognised,
// so nothing ark-sync already manages is orphaned by the change.
import type { LiveEndpoint } from "./types.js";

/** Whether the state with `lineage` (null: no state yet) may adopt `endpoint` by its ownership tag. */
export function isOwnedByState(endpoint: LiveEndpoint, lineage: string | null): boolean {
  if (endpoint.owner_address === undefined) return false;
  return endpoint.owner_state === undefined || endpoint.owner_state === lineage;
}
