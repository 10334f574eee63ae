// `moved_from` (Terraform's `moved` block): which desired endpoints continue an endpoint the state
// records under another address. A move is taken only when it is unambiguous: the state has the old
// address and not yet the new one (otherwise the move was applied already, or there is nothing to
// move), no manifest still claims the old address, and no other manifest moves from it too. The
// manifest loader reports the last two as errors; here they are simply not moves, so planning stays
// total.
import type { Address, DesiredEndpoint, StateResource } from "./types.js";

/** New address → the address the state records the endpoint under. */
export function resolveMoves(
  desired: readonly DesiredEndpoint[],
  stateResources: ReadonlyMap<Address, StateResource>,
): Map<Address, Address> {
  const desiredAddresses = new Set(desired.map((endpoint) => endpoint.address));
  const claims = new Map<Address, Address[]>();
  for (const { address, moved_from: from } of desired) {
    if (from === undefined) continue;
    claims.set(from, [...(claims.get(from) ?? []), address]);
  }
  const moves = new Map<Address, Address>();
  for (const [from, [to, ...others]] of claims) {
    if (to === undefined || others.length > 0 || desiredAddresses.has(from)) continue;
    if (stateResources.has(from) && !stateResources.has(to)) moves.set(to, from);
  }
  return moves;
}
