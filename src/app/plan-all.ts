// `ark-sync plan --all [ROOT]` (docs/commands.md#plan): plans every project under ROOT (a directory
// with an ark-sync.yaml, as `projects` lists them; with --changed-since only the changed ones) in one
// run, a few at a time, each against its own state and connection, and prints each plan under its
// directory's heading, in order (with --json, one document of them all). Calls to Ark stay within --parallelism in all: each directory's client
// gets its share. With --out DIR each plan is saved in DIR with an index, for `comment DIR`. The exit
// code is the worst: 1, then 2 (with --detailed-exitcode), then 0.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createLimiter } from "../ark/limit-concurrency.js";
import { ArkSyncError } from "../core/errors.js";
import { findProjects } from "../manifest/find-projects.js";
import { readProject } from "../manifest/read-project.js";
import { sanitizeText } from "../render/format-value.js";
import { PLANS_INDEX_FILE, type PlansIndexEntry, renderPlansIndex } from "../render/plans-index.js";
import { changedProjects, checkChangedSince } from "./changed-projects.js";
import type { AppContext, ExitCode } from "./context.js";
import { describeError } from "./describe-error.js";
import * as plan from "./plan.js";

export interface PlanAllOptions extends Omit<plan.PlanOptions, "dir" | "out" | "state"> {
  root: string;
  /** A directory to save every plan in, with an index (plans.json). */
  out?: string;
  /** A git revision: plan only the projects changed since the branch left it. */
  changedSince?: string;
  /** Directories planned at once; default 4. */
  concurrency?: number;
}

interface DirectoryPlan {
  dir: string;
  code: ExitCode;
  out: string;
  err: string;
  /** The saved plan's file name in --out, when one was saved. */
  file: string | null;
  /** What stopped the directory from being planned at all: its stderr, without --debug's stack. */
  error: string | null;
}

export async function run(options: PlanAllOptions, ctx: AppContext): Promise<ExitCode> {
  const { root, out, changedSince, concurrency = 4, ...planOptions } = options;
  if (changedSince !== undefined) checkChangedSince(changedSince);
  const dirs = await projectsToPlan(root, changedSince, ctx);
  if (dirs === null) {
    throw new ArkSyncError("usage", "invalid_arguments", `no directory under ${root} has an ark-sync.yaml`, {
      hint: "plan --all plans the directories `ark-sync projects` lists; plan one directory with ark-sync plan DIR.",
    });
  }
  const outDir = out === undefined ? null : path.resolve(ctx.cwd, out);
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    // An index from an earlier run must not outlive a run that stops before writing its own.
    await rm(path.join(outDir, PLANS_INDEX_FILE), { force: true });
  }
  const parallelism = Math.max(
    1,
    Math.floor(planOptions.ark.parallelism / Math.max(1, Math.min(concurrency, dirs.length))),
  );
  const limit = createLimiter(concurrency);
  const plans = await Promise.all(
    dirs.map((dir, i) =>
      limit(() =>
        planDirectory(
          dir,
          // Under --out as the user named it, so the messages give paths they can type.
          out === undefined ? null : { dir: out, file: planFileName(i, dir) },
          { ...planOptions, ark: { ...planOptions.ark, parallelism } },
          ctx,
        ),
      ),
    ),
  );
  // With --json, stdout is one JSON document; the headings are for people, on stderr.
  if (planOptions.json) ctx.io.out(`${JSON.stringify({ projects: plans.map(jsonEntry) }, null, 2)}\n`);
  for (const { dir, out, err } of plans) {
    if (!planOptions.json) ctx.io.out(`\n### ${sanitizeText(dir)}\n\n${out}`);
    if (err) ctx.io.err(`\n### ${sanitizeText(dir)}\n${err}`);
  }
  if (outDir) {
    await writeFile(path.join(outDir, PLANS_INDEX_FILE), renderPlansIndex(plans.map(indexEntry)));
    ctx.io.err(
      `\n${sanitizeText(`Saved the plans in ${out}. To post them on the pull request: ark-sync comment ${out}`)}\n`,
    );
  }
  const codes = plans.map((result) => result.code);
  const worst: ExitCode = codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0;
  ctx.io.err(`\nPlanned ${count(dirs.length)}: ${sanitizeText(summarize(plans))}.\n`);
  return worst;
}

/** The directories to plan; null when ROOT has no project at all (none changed is not an error). */
async function projectsToPlan(
  root: string,
  changedSince: string | undefined,
  ctx: AppContext,
): Promise<string[] | null> {
  const dirs = await findProjects(root);
  if (dirs.length === 0) return null;
  if (changedSince === undefined) return dirs;
  const changed = await changedProjects(
    await Promise.all(dirs.map(readProject)),
    changedSince,
    root,
    ctx.cwd,
  );
  ctx.io.err(`${count(changed.length)} of ${dirs.length} changed since ${sanitizeText(changedSince)}.\n`);
  return changed.map((project) => project.dir);
}

/** One directory's plan, its output kept apart so that plans running together never interleave. */
async function planDirectory(
  dir: string,
  save: { dir: string; file: string } | null,
  options: Omit<plan.PlanOptions, "dir">,
  ctx: AppContext,
): Promise<DirectoryPlan> {
  const result: DirectoryPlan = { dir, code: 0, out: "", err: "", file: null, error: null };
  const io = {
    ...ctx.io,
    out: (text: string) => {
      result.out += text;
    },
    err: (text: string) => {
      result.err += text;
    },
  };
  const out = save && path.join(save.dir, save.file);
  // A plan file left by an earlier run must never pass for this run's.
  if (out) await rm(path.resolve(ctx.cwd, out), { force: true });
  try {
    result.code = await plan.run({ ...options, dir, ...(out ? { out } : {}) }, { ...ctx, io });
    result.file = save?.file ?? null;
  } catch (error) {
    result.code = 1;
    // What the plan printed before failing (a manifest's problems) is the most useful part.
    result.error = result.err + describeError(error, false);
    result.err += describeError(error, ctx.io.debug !== undefined);
  }
  return result;
}

/** A directory's part of `plan --all --json`: its plan as `plan --json` prints it, or why there is none. */
function jsonEntry(result: DirectoryPlan): Record<string, unknown> {
  if (result.error === null && result.out.trim() !== "") {
    try {
      return { dir: result.dir, exit_code: result.code, plan: JSON.parse(result.out) as unknown };
    } catch {
      // Not a plan document: reported as an error below.
    }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
  const message = (result.error ?? result.err).replace(/\x1b\[[0-9;]*m/g, "").trim();
  return { dir: result.dir, exit_code: result.code, error: { message }, ...diagnosticsOf(result.out) };
}

/** Invalid manifests: what `plan --json` printed instead of a plan, validate --json's diagnostics. */
function diagnosticsOf(out: string): { diagnostics?: unknown[] } {
  try {
    const document = JSON.parse(out) as { valid?: unknown; diagnostics?: unknown };
    if (document.valid === false && Array.isArray(document.diagnostics))
      return { diagnostics: document.diagnostics };
  } catch {
    // No document: the directory failed for another reason (an Ark error, a lock).
  }
  return {};
}

/** `03-envs-prod.json`: in plan order, readable, and distinct even where two names read the same. */
function planFileName(index: number, dir: string): string {
  const slug = dir
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(-60);
  return `${String(index + 1).padStart(2, "0")}-${slug || "root"}.json`;
}

function indexEntry({ dir, code, file, error }: DirectoryPlan): PlansIndexEntry {
  return { dir: dir.split(path.sep).join("/"), file, exit_code: code, ...(error ? { error } : {}) };
}

function count(n: number): string {
  return `${n} ${n === 1 ? "directory" : "directories"}`;
}

function summarize(plans: readonly DirectoryPlan[]): string {
  const failed = plans.filter((result) => result.code === 1).map((result) => result.dir);
  return failed.length === 0 ? "none failed" : `${failed.length} failed (${failed.join(", ")})`;
}
