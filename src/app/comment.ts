// `ark-sync comment PLANFILE`: the saved plan as the pull request's sticky comment and in the job summary;
// `comment DIR`: every plan `plan --all --out DIR` saved, one comment per manifest directory.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ArkSyncError } from "../core/errors.js";
import { publishPlans } from "../github/publish-plan.js";
import { readStateBranches } from "../github/state-branches.js";
import { sanitizeLines, sanitizeText } from "../render/format-value.js";
import { readPlanFile } from "../render/plan-json.js";
import { type DirectoryPlan, PLANS_INDEX_FILE, readSavedPlans } from "../render/plans-index.js";
import type { AppContext, ExitCode } from "./context.js";

export interface CommentOptions {
  planFile: string;
  /** The manifest directory the plan is for (default manifests): one sticky comment per directory. */
  dir?: string;
  /** Login whose earlier comment may be updated. */
  author?: string;
  /** Pull request number, instead of the event's. */
  pr?: number;
  /** Keep the pull request's ark-sync labels in step with the plan (docs/github.md#labels). */
  labels: boolean;
  /** `--state`: the plan file's state, when its directory's ark-sync.yaml does not name it; the comment
   * warns when a git state's branch is unprotected (docs/github.md#recommended-rulesets). */
  state?: string;
}

export async function run(options: CommentOptions, ctx: AppContext): Promise<ExitCode> {
  if (options.pr !== undefined && !(Number.isSafeInteger(options.pr) && options.pr > 0)) {
    throw new ArkSyncError("usage", "pr_invalid", `--pr must be a pull request number, not ${options.pr}`);
  }
  const plans = await readPlans(resolve(ctx.cwd, options.planFile), options);
  const directories = plans.map((directoryPlan) => directoryPlan.directory);
  const result = await publishPlans(
    plans,
    {
      comment: true,
      labels: options.labels,
      stateBranches: await readStateBranches(directories, ctx.cwd, options.state),
      ...(options.author === undefined ? {} : { author: options.author }),
      ...(options.pr === undefined ? {} : { issueNumber: options.pr }),
    },
    {
      env: ctx.env,
      log: (line) => ctx.io.err(`${sanitizeLines(line)}\n`),
      fetch: ctx.fetch,
      sleep: ctx.sleep,
      now: () => ctx.clock.date().getTime(),
    },
  );
  for (const [i, comment] of result.comments.entries()) {
    const verb = { created: "Created", updated: "Updated", unchanged: "Unchanged" }[comment.action];
    const where = plans.length > 1 ? ` (${plans[i]?.directory})` : "";
    ctx.io.out(`${verb} comment ${sanitizeText(`${comment.url}${where}`)}\n`);
  }
  if (result.summaryWritten) ctx.io.err("Wrote the plan to the job summary.\n");
  if (result.comments.length === 0 && !result.summaryWritten) {
    throw new ArkSyncError(
      "usage",
      "comment_nothing_to_do",
      "Nothing was published: this is not a pull request and GITHUB_STEP_SUMMARY is not set",
      {
        hint: "Run it in a GitHub Actions job on a pull_request event, or name the pull request with --pr.",
      },
    );
  }
  return 0;
}

/** The plan file's plan, or each plan a directory of plans holds, with the directory it is for. */
async function readPlans(
  path: string,
  { dir, state }: Pick<CommentOptions, "dir" | "state">,
): Promise<DirectoryPlan[]> {
  const isDirectory = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) return [{ directory: dir ?? "manifests", plan: await readPlanFile(path) }];
  if (dir !== undefined) {
    throw new ArkSyncError("usage", "invalid_arguments", "--dir cannot be given with a directory of plans", {
      hint: `${PLANS_INDEX_FILE} in it names the directory of every plan.`,
    });
  }
  if (state !== undefined) {
    // As plan --all refuses it: each directory has its own state.
    throw new ArkSyncError(
      "usage",
      "invalid_arguments",
      "--state cannot be given with a directory of plans",
      {
        hint: "Each directory's ark-sync.yaml names its own state.",
      },
    );
  }
  return readSavedPlans(path);
}
