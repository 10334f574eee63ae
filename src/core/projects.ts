// Which Ark projects a run lists (docs/design.md §4). ListEndpoints lists one project per call, `default`
// unless ProjectName names another (docs/ark-api.md, ListEndpoints), so a read lists every project the
// manifests and the state name, or that a saved plan's changes name.
import { compareStrings } from "./attribute-paths.js";
import type { Address, DesiredEndpoint, ResourceChange, StateDocument } from "./types.js";

/** The project of an address `<project_name>/<name>` (a project name has no `/`). */
export function projectOfAddress(address: Address): string {
  return address.split("/", 1)[0] ?? address;
}

/** The projects a plan of `desired` against `state` reads: manifests (and the addresses they move
 * from), state addresses and last-applied records, and always `default`, the project of every
 * manifest without `project_name`, where a stray endpoint of this state is most likely to run. */
export function projectsToRead(desired: readonly DesiredEndpoint[], state: StateDocument | null): string[] {
  const projects = [
    "default",
    ...desired.flatMap((endpoint) => [
      endpoint.attributes.project_name,
      ...(endpoint.moved_from ? [projectOfAddress(endpoint.moved_from)] : []),
    ]),
    ...Object.entries(state?.resources ?? {}).flatMap(([address, resource]) => [
      projectOfAddress(address),
      ...(resource.last_applied ? [resource.last_applied.project_name] : []),
    ]),
  ];
  return distinct(projects);
}

/** The projects a saved plan's changes touch: addresses, previous addresses, before and after. */
export function projectsOfChanges(changes: readonly ResourceChange[]): string[] {
  return distinct(
    changes.flatMap((change) => [
      projectOfAddress(change.address),
      ...(change.previous_address ? [projectOfAddress(change.previous_address)] : []),
      ...[change.change.before, change.change.after].flatMap((attributes) =>
        attributes ? [attributes.project_name] : [],
      ),
    ]),
  );
}

/** Each project once, sorted. */
function distinct(projects: readonly string[]): string[] {
  return [...new Set(projects)].sort(compareStrings);
}
