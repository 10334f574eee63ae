// `ark-sync status` (docs/commands.md#status): one row per managed address and per live endpoint of the
// directory's projects, its sync read off the plan itself, so status and plan cannot disagree. Pure.
import { compareStrings } from "./attribute-paths.js";
import { hasAction } from "./compute-plan.js";
import { isOwnedByState } from "./ownership.js";
import { projectOfAddress } from "./projects.js";
import type { Address, EndpointAttributes, LiveEndpoint, ModelReference, Plan } from "./types.js";

/**
 * - `Synced`: managed, and the plan has nothing to do for it.
 * - `OutOfSync`: managed, and the plan would change, replace, destroy, move or adopt it, or it drifted.
 * - `Missing`: in the manifests or the state, not live.
 * - `Unmanaged`: live, with no ownership tag of this state (none, or another state's).
 * - `Untracked`: live with this state's ownership tag, but no state record and no manifest adopts it;
 *   or left by a DryRun Ark carried out (plan warns of both, and `--detailed-exitcode` exits 2 on them).
 */
export type SyncStatus = "Synced" | "OutOfSync" | "Missing" | "Unmanaged" | "Untracked";

export interface StatusRow {
  name: string;
  /** The managed (or, untracked, tagged) address; null for an unmanaged endpoint. */
  address: Address | null;
  project: string;
  endpoint_id: string | null;
  sync: SyncStatus;
  /** Ark's Status, with the model switch in progress if any; null when not live. */
  health: string | null;
  /** `name@version`, or the custom model id; null when none is known. */
  model: string | null;
  /** For an unmanaged endpoint: the command that adopts it. */
  import_command?: string;
}

export interface StatusInput {
  /** A plan computed with live endpoints (refreshed), without targets. */
  plan: Plan;
  /** Every live endpoint read: the plan's, and those of any extra project asked for. */
  live: readonly LiveEndpoint[];
  /** The directory, as the import command names it. */
  dir: string;
}

/** Every row, sorted by address (unmanaged endpoints last), then name, then id. */
export function computeStatusRows({ plan, live, dir }: StatusInput): StatusRow[] {
  const byId = new Map(live.map((endpoint) => [endpoint.endpoint_id, endpoint]));
  const drifted = new Set(plan.resource_drift.map((drift) => drift.address));
  const lineage = plan.state?.lineage ?? null;
  const rows: StatusRow[] = [];
  const known = new Set<string>();

  for (const change of plan.resource_changes) {
    const current = change.endpoint_id === null ? undefined : byId.get(change.endpoint_id);
    if (change.endpoint_id !== null) known.add(change.endpoint_id);
    const attributes = current?.attributes ?? change.change.after ?? change.change.before;
    const row = {
      name: attributes?.name ?? change.address.slice(projectOfAddress(change.address).length + 1),
      address: change.address,
      project: attributes?.project_name ?? projectOfAddress(change.address),
      endpoint_id: current ? current.endpoint_id : null,
      model: modelOf(attributes),
    };
    if (!current) {
      rows.push({ ...row, sync: "Missing", health: null });
      continue;
    }
    const inSync =
      hasAction(change.change.actions, "no-op") &&
      change.previous_address === undefined &&
      change.action_reason !== "adopted_by_ownership_tag" &&
      !drifted.has(change.address);
    rows.push({ ...row, sync: inSync ? "Synced" : "OutOfSync", health: healthOf(current) });
  }

  for (const endpoint of live) {
    if (known.has(endpoint.endpoint_id)) continue;
    const { name, project_name } = endpoint.attributes;
    const row = {
      name,
      project: project_name,
      endpoint_id: endpoint.endpoint_id,
      health: healthOf(endpoint),
      model: modelOf(endpoint.attributes),
    };
    if (endpoint.dry_run_id !== undefined) {
      // Never adopted (docs/ark-api.md, DryRun): no address, no import command.
      rows.push({ ...row, address: null, sync: "Untracked" });
    } else if (isOwnedByState(endpoint, lineage)) {
      rows.push({ ...row, address: endpoint.owner_address ?? null, sync: "Untracked" });
    } else {
      const address = `${project_name}/${name}`;
      const command = `ark-sync import ${address} ${endpoint.endpoint_id} ${dir}`;
      rows.push({ ...row, address: null, sync: "Unmanaged", import_command: command });
    }
  }
  return rows.sort(compareRows);
}

/** Whether any row means apply has work to do or something runs unseen (`--detailed-exitcode`'s 2). */
export function needsAttention(rows: readonly StatusRow[]): boolean {
  return rows.some((row) => row.sync === "OutOfSync" || row.sync === "Missing" || row.sync === "Untracked");
}

function compareRows(a: StatusRow, b: StatusRow): number {
  if ((a.address === null) !== (b.address === null)) return a.address === null ? 1 : -1;
  return (
    compareStrings(a.address ?? "", b.address ?? "") ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.endpoint_id ?? "", b.endpoint_id ?? "")
  );
}

/** Ark's Status; during a model switch, the switch's RollingId too (its percent needs another call). */
function healthOf(endpoint: LiveEndpoint): string {
  return endpoint.rolling_id ? `${endpoint.status} (switching ${endpoint.rolling_id})` : endpoint.status;
}

/** `name@version`, or the custom model id; null when none is known. */
export function modelOf(attributes: EndpointAttributes | null | undefined): string | null {
  const reference: ModelReference | undefined = attributes?.model_reference;
  if (!reference) return null;
  if ("custom_model_id" in reference) return reference.custom_model_id;
  const { name, model_version } = reference.foundation_model;
  return `${name}@${model_version}`;
}
