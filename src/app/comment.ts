// `ark-sync comment PLANFILE`: the saved plan as the pull request's sticky comment and in the job summary.
import { resolve } from "node:path";
import { ArkSyncError } from "../core/errors.js";
import { publishPlan } from "../github/publish-plan.js";
import { readPlanFile } from "../render/plan-json.js";
import type { AppContext, ExitCode } from "./context.js";

export interface CommentOptions {
  planFile: string;
  /** The manifest directory the plan is for: one sticky comment per directory. */
  dir: string;
  /** Login whose earlier comment may be updated. */
  author?: string;
  /** Pull request number, instead of the event's. */
  pr?: number;
  /** Keep the pull request's ark-sync labels in step with the plan (docs/github.md#labels). */
  labels: boolean;
}

export async function run(options: CommentOptions, ctx: AppContext): Promise<ExitCode> {
  if (options.pr !== undefined && !(Number.isSafeInteger(options.pr) && options.pr > 0)) {
    throw new ArkSyncError("usage", "pr_invalid", `--pr must be a pull request number, not ${options.pr}`);
  }
  const plan = await readPlanFile(resolve(ctx.cwd, options.planFile));
  const result = await publishPlan(
    plan,
    {
      directory: options.dir,
      comment: true,
      labels: options.labels,
      ...(options.author === undefined ? {} : { author: options.author }),
      ...(options.pr === undefined ? {} : { issueNumber: options.pr }),
    },
    {
      env: ctx.env,
      log: (line) => ctx.io.err(`${line}\n`),
      fetch: ctx.fetch,
      sleep: ctx.sleep,
      now: () => ctx.clock.date().getTime(),
    },
  );
  if (result.comment) {
    const verb = { created: "Created", updated: "Updated", unchanged: "Unchanged" }[result.comment.action];
    ctx.io.out(`${verb} comment ${result.comment.url}\n`);
  }
  if (result.summaryWritten) ctx.io.err("Wrote the plan to the job summary.\n");
  if (!result.comment && !result.summaryWritten) {
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
