// The GitHub Action: runs one ark-sync command with the CLI, then publishes the plan (job summary, and
// the sticky comment on pull requests) in-process, and sets the step's outputs.
//   plan      plan --out FILE --detailed-exitcode; summary; comment on pull requests
//   drift     the same without a comment; changes fail the step with an error annotation
//   apply     apply the plan-file input, or the directory with --auto-approve; with --require-reviewed
//             in args, the CLI is given the token (it reads the pull request and writes the result)
//   validate  validate (the CLI prints annotations under GitHub Actions)
//   comment   publish an existing plan-file
//   projects  projects DIRECTORY --json: the matrix of project directories as the outputs matrix and count
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { isArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import type { Environment } from "../github/github-context.js";
import { type DirectoryPlan, publishPlans } from "../github/publish-plan.js";
import { readPlanFile } from "../render/plan-json.js";
import { type ActionInputs, readInputs } from "./inputs.js";
import { readProjectsMatrix } from "./projects-matrix.js";
import { runCli, runCliCapturingStdout, runCliKeepingStderr } from "./run-cli.js";
import { errorCommand, maskCommand, setOutput } from "./workflow-commands.js";

export interface ActionDependencies {
  env: Environment;
  /** The bundled CLI (dist-action/cli.mjs). */
  cliPath: string;
  /** stdout, where the runner reads workflow commands. */
  write: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Ark credentials, masked in the log in case they did not come from secrets. */
const CREDENTIAL_VARIABLES = ["VOLC_ACCESSKEY", "VOLC_SECRETKEY", "VOLC_SESSIONTOKEN"];

/** Returns the step's exit code: 0 success, 1 failure. */
export async function runAction(deps: ActionDependencies): Promise<number> {
  const { env, write } = deps;
  try {
    const inputs = readInputs(env);
    for (const value of [inputs.githubToken, ...CREDENTIAL_VARIABLES.map((name) => env[name] ?? "")]) {
      write(maskCommand(value));
    }
    return await runCommand(inputs, deps);
  } catch (error) {
    if (!isArkSyncError(error)) throw error;
    write(errorCommand(error.hint ? `${error.message}\n${error.hint}` : error.message));
    return 1;
  }
}

async function runCommand(inputs: ActionInputs, deps: ActionDependencies): Promise<number> {
  const { env, write } = deps;
  const cliEnv = withoutToken(env);
  const global = globalArgs(inputs);
  switch (inputs.command) {
    case "validate": {
      const code = await runCli(
        deps.cliPath,
        ["validate", inputs.directory, ...global, ...inputs.args],
        cliEnv,
      );
      setOutput(env, "exit-code", String(code));
      return code === 0 ? 0 : 1;
    }
    case "apply": {
      const target = inputs.planFile ? [inputs.planFile] : [inputs.directory, "--auto-approve"];
      // --require-reviewed finds the pull request behind the commit and writes the result on it.
      const token = inputs.githubToken || env.GITHUB_TOKEN;
      const applyEnv =
        token && inputs.args.includes("--require-reviewed") ? { ...cliEnv, GITHUB_TOKEN: token } : cliEnv;
      const code = await runCli(deps.cliPath, ["apply", ...target, ...global, ...inputs.args], applyEnv);
      setOutput(env, "exit-code", String(code));
      return code === 0 ? 0 : 1;
    }
    case "projects": {
      // No global options: each project's ark-sync.yaml gives its own region, API URL and state.
      const { code, stdout } = await runCliCapturingStdout(
        deps.cliPath,
        ["projects", inputs.directory, "--json", ...inputs.args],
        cliEnv,
      );
      setOutput(env, "exit-code", String(code));
      if (code !== 0) return 1;
      const matrix = readProjectsMatrix(stdout);
      setOutput(env, "matrix", matrix.json);
      setOutput(env, "count", String(matrix.count));
      write(`${matrix.count} project(s): ${matrix.json}\n`);
      return 0;
    }
    case "comment": {
      if (!inputs.planFile) {
        write(
          errorCommand(
            "The comment command needs the plan-file input: a plan written by `ark-sync plan --out`.",
          ),
        );
        return 1;
      }
      const plan = await readPlanFile(inputs.planFile);
      setPlanOutputs(env, plan, inputs.planFile);
      await publish({ directory: inputs.directory, plan }, inputs, deps, true);
      return 0;
    }
    case "plan":
    case "drift": {
      const planFile = inputs.planFile ?? join(env.RUNNER_TEMP || ".", "ark-sync-plan.json");
      await rm(planFile, { force: true });
      const { code, stderr } = await runCliKeepingStderr(
        deps.cliPath,
        ["plan", inputs.directory, "--out", planFile, "--detailed-exitcode", ...global, ...inputs.args],
        cliEnv,
      );
      setOutput(env, "exit-code", String(code));
      const drift = inputs.command === "drift";
      // A plan with errors (e.g. prevent_destroy) may still be saved: show it, then fail. With none
      // saved (invalid manifests, a policy, Ark), its error replaces the directory's earlier plan.
      if (code !== 0 && code !== 2 && !existsSync(planFile)) {
        await publish({ directory: inputs.directory, error: stderr }, inputs, deps, inputs.comment && !drift);
        return 1;
      }
      const plan = await readPlanFile(planFile);
      setPlanOutputs(env, plan, planFile);
      await publish({ directory: inputs.directory, plan }, inputs, deps, inputs.comment && !drift);
      if (code !== 0 && code !== 2) return 1;
      if (drift && code === 2) {
        const { add, change, destroy } = plan.summary;
        const outside = plan.resource_drift.length;
        write(
          errorCommand(
            `Ark does not match the manifests in ${inputs.directory}: Plan: ${add} to add, ${change} to change, ${destroy} to destroy.` +
              (outside > 0 ? ` ${outside} endpoint(s) changed outside ark-sync.` : "") +
              " See the job summary; apply the manifests, or accept live values with ark-sync refresh.",
            "ark-sync drift",
          ),
        );
        return 1;
      }
      return 0;
    }
  }
}

async function publish(
  directoryPlan: DirectoryPlan,
  inputs: ActionInputs,
  deps: ActionDependencies,
  comment: boolean,
): Promise<void> {
  const result = await publishPlans(
    [directoryPlan],
    {
      comment,
      labels: inputs.labels,
      ...(inputs.author ? { author: inputs.author } : {}),
      ...(inputs.command === "drift" ? { summaryTitle: "ark-sync drift check" } : {}),
    },
    {
      env: { ...deps.env, GITHUB_TOKEN: inputs.githubToken || deps.env.GITHUB_TOKEN },
      log: (line) => deps.write(`${line}\n`),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    },
  );
  for (const posted of result.comments) {
    setOutput(deps.env, "comment-url", posted.url);
    deps.write(`Comment ${posted.action}: ${posted.url}\n`);
  }
}

function globalArgs(inputs: ActionInputs): string[] {
  return [
    ...(inputs.state ? ["--state", inputs.state] : []),
    ...(inputs.apiUrl ? ["--api-url", inputs.apiUrl] : []),
    ...(inputs.region ? ["--region", inputs.region] : []),
  ];
}

function setPlanOutputs(env: Environment, plan: Plan, planFile: string): void {
  const { add, change, destroy } = plan.summary;
  setOutput(env, "plan-file", planFile);
  setOutput(env, "add", String(add));
  setOutput(env, "change", String(change));
  setOutput(env, "destroy", String(destroy));
  setOutput(env, "has-changes", String(add + change + destroy > 0));
}

/** The CLI needs no GitHub token, except apply --require-reviewed: keep it out of the child's environment. */
function withoutToken(env: Environment): Environment {
  const copy = { ...env };
  delete copy["INPUT_GITHUB-TOKEN"];
  delete copy.GITHUB_TOKEN;
  return copy;
}
