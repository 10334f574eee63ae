// What the look-up before every CreateEndpoint refuses (docs/apply.md, No duplicate endpoints). An
// apply cut off between a create and its state write leaves an endpoint with this state's ownership
// tag that the state does not record; the next plan adopts it only if its list returned it, and a
// list paged by number can miss one (docs/ark-api.md, Confirming an absence). So before creating,
// apply asks Ark by the tag, one filtered ListEndpoints, and makes no second endpoint beside one found.
import { ArkSyncError } from "../core/errors.js";
import type { Address } from "../core/types.js";

/** Why a create was not sent: `endpointId` carries this state's ownership tag for `address`, and the
 * state does not record it. */
export function unrecordedEndpointExists(address: Address, endpointId: string): ArkSyncError {
  return new ArkSyncError(
    "external",
    "unrecorded_endpoint_exists",
    `${endpointId} already carries this state's ownership tag for ${address} but is not recorded in state (an earlier apply created it and stopped before recording it, and the plan did not see it), so no second endpoint was created`,
    {
      hint: `The next plan adopts ${endpointId} by its ownership tag: run ark-sync plan, then ark-sync apply. To record it at once instead: ark-sync import ${address} ${endpointId}`,
    },
  );
}
