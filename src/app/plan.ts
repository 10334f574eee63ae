// `ark-sync plan`: read the manifests, the last-applied state and (unless --refresh=false) live Ark,
// compute the plan, print it as text or JSON, optionally save it for `apply PLANFILE` and `comment`.
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { ArkClient } from "../ark/client.js";
import { dryRunPlan, summarizeDryRun } from "../ark/dry-run-plan.js";
import { hasAction } from "../core/compute-plan.js";
import type { DesiredEndpoint, Plan, PlanWarning } from "../core/types.js";
import { loadConfig } from "../manifest/load-config.js";
import { sanitizeText } from "../render/format-value.js";
import { renderPlanJson } from "../render/plan-json.js";
import { renderPlanText } from "../render/text.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { withConnection } from "./directory-connection.js";
import { openState } from "./open-state.js";
import { destroyLimit, loadValidManifests, readAndPlan } from "./read-and-plan.js";

export interface PlanOptions {
  dir: string;
  /** `--state SPEC`; default: local state in the directory. */
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  /** Save the plan as JSON to this file. */
  out?: string;
  json: boolean;
  detailedExitcode: boolean;
  /** False: plan against last-applied only, reading nothing from Ark (--refresh=false). */
  refresh: boolean;
  targets: string[];
  allowEmpty: boolean;
  /** Lift ark-sync.yaml's max_destroy for this plan (--allow-destroy-over-limit). */
  allowDestroyOverLimit?: boolean;
  /** Send planned creates and model switches to Ark with DryRun (--ark-dry-run); needs refresh. */
  arkDryRun: boolean;
}

export async function run(flags: PlanOptions, ctx: AppContext): Promise<ExitCode> {
  // The state is read while the manifests are checked (on worker threads when there are many): the
  // state ark-sync.yaml names is known before them. Their problems still come first: the read is
  // awaited only once they are valid.
  const config = await loadConfig(flags.dir);
  const early = withConnection(flags, config.config?.connection ?? {});
  const stateRead = openState(early.state, early.dir, ctx).then((backend) => backend.read());
  stateRead.catch(() => {});
  const manifests = await loadValidManifests(flags.dir, ctx, { json: flags.json, config });
  const options = withConnection(flags, manifests.connection);
  const state = await stateRead;
  const ark = options.refresh
    ? { client: await ctx.connectArk(options.ark), region: options.ark.region }
    : null;
  const planned = await readAndPlan(
    {
      desired: manifests.endpoints,
      state,
      ark,
      allowEmpty: options.allowEmpty,
      targets: options.targets,
      ...destroyLimit(manifests.maxDestroy, options.allowDestroyOverLimit === true),
    },
    ctx,
  );
  const plan =
    ark && options.arkDryRun
      ? await checkWithArk(planned.plan, ark.client, manifests.endpoints, ctx)
      : planned.plan;

  const { io } = ctx;
  // Rendered once when it is both printed (--json) and saved (--out): a big plan's JSON is megabytes.
  const json = options.json || options.out ? renderPlanJson(plan) : "";
  io.out(options.json ? json : renderPlanText(plan, { color: io.colorOut, width: io.width }));
  if (options.out) {
    await writeFile(resolve(ctx.cwd, options.out), json);
    // A saved plan is applied with its directory's state and connection: name it unless it is the default.
    const dir = options.dir === "manifests" ? "" : ` --dir ${options.dir}`;
    io.err(
      `\n${sanitizeText(`Saved the plan to ${options.out}. To apply exactly this plan: ark-sync apply ${options.out}${dir}`)}\n`,
    );
  }
  if (plan.errors.length > 0) return 1;
  return options.detailedExitcode && hasChanges(plan) ? 2 : 0;
}

/**
 * The plan with Ark's refusals of its creates and model switches among its errors, and a warning per
 * action these credentials may not call at all: a plan identity that may only read still plans, and
 * leaves Ark's checks to apply (docs/credentials.md).
 */
async function checkWithArk(
  plan: Plan,
  client: ArkClient,
  desired: DesiredEndpoint[],
  ctx: AppContext,
): Promise<Plan> {
  const report = await dryRunPlan(client, plan, desired);
  if (report.creates + report.switches === 0) return plan;
  ctx.io.err(`${summarizeDryRun(report)}\n\n`);
  const warnings: PlanWarning[] = report.denied.map(({ action, addresses }) => ({
    code: "ark_dry_run_denied",
    message: `The plan's credentials may not call ${action} (DryRun), so Ark did not check ${addresses.join(", ")}; checks Ark would make are left to apply.`,
  }));
  return { ...plan, warnings: [...plan.warnings, ...warnings], errors: [...plan.errors, ...report.errors] };
}

/**
 * Any action on Ark, a move to record in the state (Terraform counts moves as changes too), or an
 * endpoint that runs unmanaged by ark-sync's doing: one with this state's ownership tag that nothing
 * tracks, or one a DryRun left (so the nightly drift check fails on them).
 */
function hasChanges(plan: Plan): boolean {
  return (
    plan.resource_changes.some(
      (rc) => !hasAction(rc.change.actions, "no-op") || rc.previous_address !== undefined,
    ) ||
    plan.warnings.some(
      (warning) => warning.code === "untracked_endpoint" || warning.code === "dry_run_leftover",
    )
  );
}
