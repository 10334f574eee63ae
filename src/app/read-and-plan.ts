// The step plan, apply and refresh share (docs/design.md §3, §4): load the manifests (stopping before
// Ark is touched when any is invalid), read the live endpoints the plan needs, compute the plan.
// Which state it plans against is the caller's: plan reads it unlocked, apply and refresh under the lock.
import type { ArkClient } from "../ark/client.js";
import { readScaleTiers } from "../ark/read-scale-tiers.js";
import { readLiveForPlan } from "../ark/refresh.js";
import { computePlan, hasAction } from "../core/compute-plan.js";
import { type DestroyLimit, lowerDestroyLimit } from "../core/destroy-limit.js";
import { ArkSyncError } from "../core/errors.js";
import type { DesiredEndpoint, LiveEndpoint, Plan, StateDocument } from "../core/types.js";
import { type DirectoryConnection, type LoadedConfig, loadConfig } from "../manifest/load-config.js";
import { loadManifests, type ManifestSet } from "../manifest/load-manifests.js";
import { renderDiagnosticsJson } from "../render/diagnostics-json.js";
import type { AppContext } from "./context.js";
import { printDiagnostics } from "./print-diagnostics.js";

/**
 * Every problem on stderr; throws when any is an error, before anything is read from Ark. With
 * `json` (plan --json), invalid manifests also put validate --json's document on stdout first, so a
 * CI reading stdout gets JSON rather than nothing. `config`: the directory's ark-sync.yaml, if read.
 */
export async function loadValidManifests(
  dir: string,
  ctx: AppContext,
  { json = false, config }: { json?: boolean; config?: LoadedConfig } = {},
): Promise<ManifestSet> {
  const manifests = await loadManifests(dir, config);
  printDiagnostics(manifests.diagnostics, ctx.io);
  const errors = manifests.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    if (json) ctx.io.out(renderDiagnosticsJson(manifests.diagnostics));
    throw new ArkSyncError(
      "input",
      "invalid_manifests",
      `${errors} ${errors === 1 ? "problem" : "problems"} in the manifests in ${dir}; nothing was read from or sent to Ark.`,
      { hint: `Fix them (ark-sync validate ${dir} lists them again), then rerun.` },
    );
  }
  return manifests;
}

/**
 * The region, API URL and state the directory's ark-sync.yaml gives, for an apply of a saved plan,
 * which reads no manifest. Its problems are on stderr and stop the apply before anything is opened.
 */
export async function loadValidConnection(dir: string, ctx: AppContext): Promise<DirectoryConnection> {
  const { config, diagnostics } = await loadConfig(dir);
  printDiagnostics(diagnostics, ctx.io);
  if (diagnostics.some((d) => d.severity === "error")) {
    throw new ArkSyncError(
      "input",
      "invalid_manifests",
      `The ark-sync.yaml in ${dir} has problems, so the plan's state and Ark connection are unknown; nothing was applied.`,
      { hint: `Fix them (ark-sync validate ${dir} lists them again), then rerun.` },
    );
  }
  return config?.connection ?? {};
}

/** The live endpoints, with a line on stderr before and after saying what was read. */
export async function readLive(
  ark: ArkClient,
  region: string,
  desired: DesiredEndpoint[],
  state: StateDocument | null,
  ctx: AppContext,
): Promise<LiveEndpoint[]> {
  ctx.io.err(`Reading live endpoints from Ark (${region})...\n`);
  const live = await readLiveForPlan(ark, desired, state);
  const { calls } = ark.stats();
  ctx.io.err(
    `Read ${live.length} live endpoints (${calls.ListEndpoints} list, ${calls.GetEndpoint} get calls).\n\n`,
  );
  return live;
}

export interface PlanRequest {
  desired: DesiredEndpoint[];
  state: StateDocument | null;
  /** Where live endpoints come from; null plans against last-applied only (--refresh=false). */
  ark: { client: ArkClient; region: string } | null;
  allowEmpty: boolean;
  targets: string[];
  /** False: the targets are ark-sync's own choice (sync), so no targeting warning. Default true. */
  warnOfTargets?: boolean;
  /** The lower of ark-sync.yaml's max_destroy and sync's --max-destroy (destroyLimit); absent: no limit. */
  maxDestroy?: DestroyLimit;
}

/**
 * The plan request's limit on destroys: ark-sync.yaml's max_destroy, unless the run lifts it
 * (--allow-destroy-over-limit), or the operator's `ceiling` (sync --max-destroy) when that is lower;
 * nothing lifts the ceiling.
 */
export function destroyLimit(
  maxDestroy: number | undefined,
  allowOverLimit: boolean,
  ceiling?: number,
): { maxDestroy?: DestroyLimit } {
  const limit = lowerDestroyLimit(allowOverLimit ? undefined : maxDestroy, ceiling);
  return limit === undefined ? {} : { maxDestroy: limit };
}

export async function readAndPlan(
  request: PlanRequest,
  ctx: AppContext,
): Promise<{ plan: Plan; live: LiveEndpoint[] | null }> {
  const { desired, state, ark } = request;
  const options = {
    allowEmpty: request.allowEmpty,
    targets: request.targets,
    ...(request.warnOfTargets === false ? { warnOfTargets: false } : {}),
    ...(request.maxDestroy === undefined ? {} : { maxDestroy: request.maxDestroy }),
  };
  const live = ark ? await readLive(ark.client, ark.region, desired, state, ctx) : null;
  const plan = computePlan(desired, state, live, options);
  if (!ark || !live) return { plan, live };
  // What an endpoint it destroys holds is known only once read in full (docs/ark-api.md, Prepaid capacity).
  const destroyed = new Set(
    plan.resource_changes
      .filter((change) => hasAction(change.change.actions, "delete") && change.endpoint_id !== null)
      .map((change) => change.endpoint_id as string),
  );
  const full = await readScaleTiers(ark.client, live, destroyed);
  if (full.read === 0) return { plan, live };
  ctx.io.err(
    `Read ${full.read} endpoint${full.read === 1 ? "" : "s"} this plan destroys or replaces in full, for the prepaid capacity ${full.read === 1 ? "it holds" : "they hold"} (GetEndpoint).\n\n`,
  );
  return { plan: computePlan(desired, state, full.live, options), live: full.live };
}
