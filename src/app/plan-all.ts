// `ark-sync plan --all [ROOT]` (docs/commands.md, plan): plans every project under ROOT (a directory
// with an ark-sync.yaml, as `projects` lists them) in one run, a few at a time, each against its own
// state and connection, and prints each plan under its directory's heading, in order. Calls to Ark stay
// within --parallelism in all: each directory's client gets its share. The exit code is the worst:
// 1, then 2 (with --detailed-exitcode), then 0.
import { createLimiter } from "../ark/limit-concurrency.js";
import { ArkSyncError } from "../core/errors.js";
import { findProjects } from "../manifest/find-projects.js";
import type { AppContext, ExitCode } from "./context.js";
import { describeError } from "./describe-error.js";
import * as plan from "./plan.js";

export interface PlanAllOptions extends Omit<plan.PlanOptions, "dir" | "out" | "state"> {
  root: string;
  /** Directories planned at once; default 4. */
  concurrency?: number;
}

interface DirectoryPlan {
  dir: string;
  code: ExitCode;
  out: string;
  err: string;
}

export async function run(options: PlanAllOptions, ctx: AppContext): Promise<ExitCode> {
  const { root, concurrency = 4, ...planOptions } = options;
  const dirs = await findProjects(root);
  if (dirs.length === 0) {
    throw new ArkSyncError("usage", "invalid_arguments", `no directory under ${root} has an ark-sync.yaml`, {
      hint: "plan --all plans the directories `ark-sync projects` lists; plan one directory with ark-sync plan DIR.",
    });
  }
  const parallelism = Math.max(
    1,
    Math.floor(planOptions.ark.parallelism / Math.min(concurrency, dirs.length)),
  );
  const limit = createLimiter(concurrency);
  const plans = await Promise.all(
    dirs.map((dir) =>
      limit(() => planDirectory(dir, { ...planOptions, ark: { ...planOptions.ark, parallelism } }, ctx)),
    ),
  );
  for (const { dir, out, err } of plans) {
    ctx.io.out(`\n### ${dir}\n\n${out}`);
    if (err) ctx.io.err(`\n### ${dir}\n${err}`);
  }
  const codes = plans.map((result) => result.code);
  const worst: ExitCode = codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
  ctx.io.err(`\nPlanned ${dirs.length} directories: ${summarize(plans)}.\n`);
  return worst;
}

/** One directory's plan, its output kept apart so that plans running together never interleave. */
async function planDirectory(
  dir: string,
  options: Omit<plan.PlanOptions, "dir">,
  ctx: AppContext,
): Promise<DirectoryPlan> {
  const result: DirectoryPlan = { dir, code: 0, out: "", err: "" };
  const io = {
    ...ctx.io,
    out: (text: string) => {
      result.out += text;
    },
    err: (text: string) => {
      result.err += text;
    },
  };
  try {
    result.code = await plan.run({ ...options, dir }, { ...ctx, io });
  } catch (error) {
    result.code = 1;
    result.err += describeError(error, ctx.io.debug !== undefined);
  }
  return result;
}

function summarize(plans: readonly DirectoryPlan[]): string {
  const failed = plans.filter((result) => result.code === 1).map((result) => result.dir);
  return failed.length === 0 ? "none failed" : `${failed.length} failed (${failed.join(", ")})`;
}
