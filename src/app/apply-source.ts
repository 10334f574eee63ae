// What an apply works from: a manifest directory, or a plan saved by `plan --out` (with the directory
// whose state it was planned against), told apart by what PATH is on disk.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { checkSavedPlanFile } from "../apply/saved-plan.js";
import { ArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import { readPlanFile } from "../render/plan-json.js";

export type ApplySource = { kind: "dir"; dir: string } | { kind: "plan"; file: string; dir: string };

export interface SourceOptions {
  path: string;
  /** With a plan file: its manifest directory (default `manifests`); refused with a directory. */
  dir?: string;
  targets: string[];
  allowEmpty: boolean;
}

export async function resolveApplySource(options: SourceOptions, cwd: string): Promise<ApplySource> {
  const { path } = options;
  const found = await stat(resolve(cwd, path)).catch(() => null);
  if (found === null) {
    throw new ArkSyncError(
      "input",
      "apply_source_missing",
      `${path} is neither a manifest directory nor a plan file.`,
      {
        hint: "Give the manifest directory (default: manifests) or a plan saved with ark-sync plan --out FILE.",
      },
    );
  }
  if (found.isDirectory()) {
    if (options.dir !== undefined) {
      throw new ArkSyncError(
        "usage",
        "apply_dir_with_dir",
        "--dir is only for applying a plan file; the manifest directory is the argument.",
      );
    }
    return { kind: "dir", dir: path };
  }
  if (options.targets.length > 0 || options.allowEmpty) {
    throw new ArkSyncError(
      "usage",
      "apply_plan_options",
      `${options.targets.length > 0 ? "--target" : "--allow-empty"} cannot be used with a saved plan: the plan already decides what is applied.`,
      { hint: "Pass it to ark-sync plan --out FILE instead." },
    );
  }
  return { kind: "plan", file: path, dir: options.dir ?? "manifests" };
}

export async function readSavedPlan(file: string, cwd: string): Promise<Plan> {
  const plan = await readPlanFile(resolve(cwd, file));
  checkSavedPlanFile(plan, file);
  return plan;
}

/** The folder whose git checkout the applied commit is read from. */
export async function commitDir(source: ApplySource, cwd: string): Promise<string> {
  const dir = resolve(cwd, source.dir);
  const found = await stat(dir).catch(() => null);
  return found?.isDirectory() ? dir : cwd;
}
