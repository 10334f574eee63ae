// Endpoints that carry ark-sync's DryRun marker (docs/ark-api.md, DryRun): an Ark that ignored DryRun
// made them when a plan or apply only asked it to check a create, and deleting them at once failed (or
// the answer that named them was lost). They run and bill, and nothing manages them, so every plan
// names them; nothing deletes or adopts them on its own.
import { compareStrings } from "./attribute-paths.js";
import { dryRunTagKey } from "./reserved-tags.js";
import type { LiveEndpoint, PlanWarning } from "./types.js";

export function dryRunLeftoverWarnings(live: readonly LiveEndpoint[]): PlanWarning[] {
  return live
    .filter((endpoint) => endpoint.dry_run_id !== undefined)
    .sort((a, b) => compareStrings(a.endpoint_id, b.endpoint_id))
    .map(({ endpoint_id, dry_run_id, attributes }) => ({
      code: "dry_run_leftover",
      message:
        `${endpoint_id} (${attributes.project_name}/${attributes.name}) carries ark-sync's DryRun marker ` +
        `(${dryRunTagKey}=${dry_run_id}): Ark created it when a run only asked it to check a create, ` +
        "and it was not deleted. ark-sync does not manage it, and it bills: delete it in the Ark console.",
    }));
}
