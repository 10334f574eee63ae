// The GitHub Action: runs one ark-sync command with the CLI, then publishes the plan (job summary, and
// the sticky comment on pull requests) in-process, and sets the step's outputs.
//   plan      plan --out FILE --detailed-exitcode; summary; comment on pull requests (plan-step.ts);
//             with --all in args, every project under the directory, one comment each
//   drift     the same without a comment; changes fail the step with an error annotation
//   apply     apply the plan-file input, or the directory with --auto-approve (not with
//             --require-reviewed or --plan-hash in args, which approve by review); with
//             --require-reviewed the CLI is given the token (it reads the pull request, writes the result)
//   validate  validate (the CLI prints annotations under GitHub Actions)
//   comment   publish an existing plan-file
//   labels    the pull request's labels from the plans in ark-sync's comments (after a matrix of plans)
//   projects  projects DIRECTORY --json, with --changed-since as the changed-since input says
//             (changed-since.ts): the matrix of project directories as the outputs matrix and count
import { isArkSyncError } from "../core/errors.js";
import type { Environment } from "../github/github-context.js";
import { labelFromComments } from "../github/labels-from-comments.js";
import { guardWorkflowCommands } from "../github/workflow-command-guard.js";
import { readPlanFile } from "../render/plan-json.js";
import { projectsArguments } from "./changed-since.js";
import type { ActionContext, ActionDependencies } from "./dependencies.js";
import { type ActionInputs, readInputs } from "./inputs.js";
import { githubDependencies, publish, runPlanStep, setPlanOutputs } from "./plan-step.js";
import { readProjectsMatrix } from "./projects-matrix.js";
import { runCli, runCliCapturingStdout } from "./run-cli.js";
import { errorCommand, maskCommand, setOutput } from "./workflow-commands.js";

/** Ark credentials, masked in the log in case they did not come from secrets. */
const CREDENTIAL_VARIABLES = ["VOLC_ACCESSKEY", "VOLC_SECRETKEY", "VOLC_SESSIONTOKEN"];

/** Returns the step's exit code: 0 success, 1 failure. */
export async function runAction(dependencies: ActionDependencies): Promise<number> {
  // Every line the Action writes goes through a guard: only its own commands go through `command`.
  const stdout = guardWorkflowCommands(dependencies.write);
  const stderr = guardWorkflowCommands(dependencies.writeError);
  const deps: ActionContext = {
    ...dependencies,
    write: stdout.write,
    writeError: stderr.write,
    command: stdout.command,
  };
  const { env, command } = deps;
  try {
    const inputs = readInputs(env);
    for (const value of [inputs.githubToken, ...CREDENTIAL_VARIABLES.map((name) => env[name] ?? "")]) {
      command(maskCommand(value));
    }
    return await runCommand(inputs, deps);
  } catch (error) {
    if (!isArkSyncError(error)) throw error;
    command(errorCommand(error.hint ? `${error.message}\n${error.hint}` : error.message));
    return 1;
  }
}

async function runCommand(inputs: ActionInputs, deps: ActionContext): Promise<number> {
  const { env, write, command } = deps;
  const cliEnv = cliEnvironment(env);
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
      // --require-reviewed and --plan-hash apply only a plan someone approved: they take no --auto-approve.
      const approved = inputs.args.some((arg) => /^--(require-reviewed|plan-hash)(=|$)/.test(arg));
      const target = inputs.planFile
        ? [inputs.planFile]
        : [inputs.directory, ...(approved ? [] : ["--auto-approve"])];
      // --require-reviewed finds the pull request behind the commit and writes the result on it.
      const token = inputs.githubToken || env.GITHUB_TOKEN;
      const applyEnv =
        token && inputs.args.includes("--require-reviewed") ? { ...cliEnv, GITHUB_TOKEN: token } : cliEnv;
      const code = await runCli(deps.cliPath, ["apply", ...target, ...global, ...inputs.args], applyEnv);
      setOutput(env, "exit-code", String(code));
      return code === 0 ? 0 : 1;
    }
    case "sync": {
      // Exit 2 (still out of sync: report only, or blocked by the policy) fails the step, as drift does.
      const code = await runCli(
        deps.cliPath,
        ["sync", inputs.directory, ...global, ...runUrlArgs(env), ...inputs.args],
        cliEnv,
      );
      setOutput(env, "exit-code", String(code));
      return code === 0 ? 0 : 1;
    }
    case "projects": {
      // No global options: each project's ark-sync.yaml gives its own region, API URL and state.
      const args = await projectsArguments(inputs.changedSince, inputs.args, env);
      const { code, stdout } = await runCliCapturingStdout(
        deps.cliPath,
        ["projects", inputs.directory, "--json", ...args],
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
        command(
          errorCommand(
            "The comment command needs the plan-file input: a plan written by `ark-sync plan --out`.",
          ),
        );
        return 1;
      }
      const plans = [{ directory: inputs.directory, plan: await readPlanFile(inputs.planFile) }];
      setPlanOutputs(env, plans, inputs.planFile);
      await publish(plans, inputs, deps, true);
      return 0;
    }
    case "labels": {
      const directories = inputs.matrix ? readProjectsMatrix(inputs.matrix).dirs : undefined;
      await labelFromComments(
        { ...(directories ? { directories } : {}), ...(inputs.author ? { author: inputs.author } : {}) },
        githubDependencies(inputs, deps),
      );
      return 0;
    }
    case "plan":
    case "drift":
      return runPlanStep(inputs, deps, { env: cliEnv, globalArgs: global });
  }
}

/** `--run-url` naming this workflow run, for sync's notifications and audit. */
function runUrlArgs(env: Environment): string[] {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? ["--run-url", `${server}/${repository}/actions/runs/${run}`] : [];
}

function globalArgs(inputs: ActionInputs): string[] {
  return [
    ...(inputs.state ? ["--state", inputs.state] : []),
    ...(inputs.apiUrl ? ["--api-url", inputs.apiUrl] : []),
    ...(inputs.region ? ["--region", inputs.region] : []),
  ];
}

/**
 * The CLI's environment. It needs no GitHub token, except apply --require-reviewed: the token is kept
 * out. GITHUB_ACTIONS is set whatever the runner says, as the CLI guards its output only under it, and
 * the output it does not pipe through the Action reaches the log straight (docs/github.md#workflow-commands).
 */
function cliEnvironment(env: Environment): Environment {
  const { "INPUT_GITHUB-TOKEN": _input, GITHUB_TOKEN: _token, ...rest } = env;
  return { ...rest, GITHUB_ACTIONS: "true" };
}
