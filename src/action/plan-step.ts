// The Action's `plan` and `drift` commands: run the CLI's plan with --out and --detailed-exitcode,
// publish what it saved (job summary; the sticky comment per directory on pull requests, for plan),
// set the outputs, and fail the step on an error or, for drift, on changes. With `--all` in args the
// directory input is the root and --out names a directory of plans (docs/github.md#the-github-action).
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Environment, GitHubDependencies } from "../github/github-context.js";
import { publishPlans } from "../github/publish-plan.js";
import { readStateBranches } from "../github/state-branches.js";
import { readPlanFile } from "../render/plan-json.js";
import { type DirectoryPlan, PLANS_INDEX_FILE, readSavedPlans } from "../render/plans-index.js";
import type { ActionContext } from "./dependencies.js";
import type { ActionInputs } from "./inputs.js";
import { runCliKeepingStderr } from "./run-cli.js";
import { errorCommand, setOutput } from "./workflow-commands.js";

export async function runPlanStep(
  inputs: ActionInputs,
  deps: ActionContext,
  cli: { env: Environment; globalArgs: string[] },
): Promise<number> {
  const { env } = deps;
  const all = inputs.args.includes("--all");
  const out = inputs.planFile ?? join(env.RUNNER_TEMP || ".", all ? "ark-sync-plans" : "ark-sync-plan.json");
  // What an earlier step saved there must never pass for this plan. With --all only the index goes:
  // the plans read are those it lists, each written afresh, and `plan-file` may name a folder of yours.
  await rm(all ? join(out, PLANS_INDEX_FILE) : out, { force: true });
  const { code, stderr } = await runCliKeepingStderr(
    deps.cliPath,
    ["plan", inputs.directory, "--out", out, "--detailed-exitcode", ...cli.globalArgs, ...inputs.args],
    cli.env,
    deps.writeError,
  );
  setOutput(env, "exit-code", String(code));
  const failed = code !== 0 && code !== 2;
  const plans = all
    ? existsSync(join(out, PLANS_INDEX_FILE))
      ? await readSavedPlans(out)
      : null // refused before planning anything (a bad flag, no project): the log says why
    : existsSync(out)
      ? [{ directory: inputs.directory, plan: await readPlanFile(out) }]
      : // Not planned (invalid manifests, a policy, Ark): the error replaces the earlier plan.
        [{ directory: inputs.directory, error: stderr || `ark-sync plan exited with code ${code}.` }];
  if (plans === null) return 1;
  const drift = inputs.command === "drift";
  setPlanOutputs(env, plans, out);
  await publish(plans, inputs, deps, inputs.comment && !drift);
  if (failed) return 1;
  if (drift && code === 2) {
    deps.command(errorCommand(driftMessage(plans, inputs.directory), "ark-sync drift"));
    return 1;
  }
  return 0;
}

export async function publish(
  plans: DirectoryPlan[],
  inputs: ActionInputs,
  deps: ActionContext,
  comment: boolean,
): Promise<void> {
  // The comment warns about unprotected state branches: the state input's, else each directory's
  // ark-sync.yaml's, read where the CLI ran.
  const directories = plans.map((directoryPlan) => directoryPlan.directory);
  const stateBranches = comment
    ? await readStateBranches(directories, process.cwd(), inputs.state || undefined)
    : new Map<string, string>();
  const result = await publishPlans(
    plans,
    {
      comment,
      labels: inputs.labels,
      stateBranches,
      ...(inputs.author ? { author: inputs.author } : {}),
      ...(inputs.command === "drift" ? { summaryTitle: "ark-sync drift check" } : {}),
    },
    githubDependencies(inputs, deps),
  );
  for (const posted of result.comments) {
    // With several directories the output is the last one's; the log lists them all.
    setOutput(deps.env, "comment-url", posted.url);
    deps.write(`Comment ${posted.action}: ${posted.url}\n`);
  }
}

/** What the in-process GitHub calls run with: the token input, the step's log, the test hooks. */
export function githubDependencies(inputs: ActionInputs, deps: ActionContext): GitHubDependencies {
  return {
    env: { ...deps.env, GITHUB_TOKEN: inputs.githubToken || deps.env.GITHUB_TOKEN },
    log: (line) => deps.write(`${line}\n`),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  };
}

/** The outputs, summed over the directories that were planned. */
export function setPlanOutputs(env: Environment, plans: DirectoryPlan[], planFile: string): void {
  const { add, change, destroy } = sumSummaries(plans);
  setOutput(env, "plan-file", planFile);
  setOutput(env, "add", String(add));
  setOutput(env, "change", String(change));
  setOutput(env, "destroy", String(destroy));
  setOutput(env, "has-changes", String(add + change + destroy > 0));
}

function sumSummaries(plans: DirectoryPlan[]): { add: number; change: number; destroy: number } {
  const total = { add: 0, change: 0, destroy: 0 };
  for (const directoryPlan of plans) {
    if (!("plan" in directoryPlan)) continue;
    total.add += directoryPlan.plan.summary.add;
    total.change += directoryPlan.plan.summary.change;
    total.destroy += directoryPlan.plan.summary.destroy;
  }
  return total;
}

function driftMessage(plans: DirectoryPlan[], directory: string): string {
  const { add, change, destroy } = sumSummaries(plans);
  const outside = plans.reduce(
    (sum, directoryPlan) => sum + ("plan" in directoryPlan ? directoryPlan.plan.resource_drift.length : 0),
    0,
  );
  return (
    `Ark does not match the manifests in ${directory}: Plan: ${add} to add, ${change} to change, ${destroy} to destroy.` +
    (outside > 0 ? ` ${outside} endpoint(s) changed outside ark-sync.` : "") +
    " See the job summary; apply the manifests, or accept live values with ark-sync refresh."
  );
}
