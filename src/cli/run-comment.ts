// `ark-sync comment PLANFILE`: the saved plan as the pull request's sticky comment and in the job summary.
import { ArkSyncError } from "../core/errors.js";
import type { Environment } from "../github/github-context.js";
import { publishPlan } from "../github/publish-plan.js";
import { readPlanFile } from "../render/plan-json.js";

export interface CommentOptions {
  dir: string;
  author?: string;
  pr?: number;
}

export interface CommentIo {
  env: Environment;
  out: (text: string) => void;
  err: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function runComment(planFile: string, options: CommentOptions, io: CommentIo): Promise<number> {
  if (options.pr !== undefined && !(Number.isSafeInteger(options.pr) && options.pr > 0)) {
    throw new ArkSyncError("usage", "pr_invalid", `--pr must be a pull request number, not ${options.pr}`);
  }
  const plan = await readPlanFile(planFile);
  const result = await publishPlan(
    plan,
    {
      directory: options.dir,
      comment: true,
      ...(options.author === undefined ? {} : { author: options.author }),
      ...(options.pr === undefined ? {} : { issueNumber: options.pr }),
    },
    {
      env: io.env,
      log: (line) => io.err(`${line}\n`),
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(io.now ? { now: io.now } : {}),
    },
  );
  if (result.comment) {
    const verb = { created: "Created", updated: "Updated", unchanged: "Unchanged" }[result.comment.action];
    io.out(`${verb} comment ${result.comment.url}\n`);
  }
  if (result.summaryWritten) io.err("Wrote the plan to the job summary.\n");
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
