// The plan reviewed for a pushed commit (docs/github.md#applying-only-the-reviewed-plan): the pull
// request the commit came from, the directory's ark-sync comment on it (the one `comment` updates:
// same marker, same author, not minimized) and the plan record on that comment's last line.
import { ArkSyncError } from "../core/errors.js";
import { appliedCommitIn, type ResultTarget } from "./apply-result.js";
import { connectGitHub } from "./client.js";
import { resolveCommentAuthor } from "./comment-author.js";
import { commentMarker } from "./comment-marker.js";
import { type GitHubDependencies, readGitHubContext, requireRepository } from "./github-context.js";
import { type PlanRecord, readPlanRecord } from "./plan-record.js";
import { findPullRequestForCommit, type PullRequestRef } from "./pull-request-for-commit.js";
import { findStickyComment } from "./sticky-comment.js";

export interface ReviewedPlan {
  commit: string;
  pullRequest: PullRequestRef;
  /** The reviewed plan; null with `missing` saying why when the pull request carries none. */
  record: PlanRecord | null;
  missing: string;
  /** Where the outcome goes. */
  target: ResultTarget;
  /** The commit an earlier run reported applied in the comment, if any. */
  appliedCommit: string | null;
  runUrl: string | null;
}

export async function findReviewedPlan(
  directory: string,
  author: string | undefined,
  deps: GitHubDependencies,
): Promise<ReviewedPlan> {
  const commit = deps.env.GITHUB_SHA ?? "";
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) {
    throw new ArkSyncError(
      "usage",
      "review_commit_missing",
      "--require-reviewed needs GITHUB_SHA, the pushed commit; nothing was applied.",
      { hint: "Run it in a GitHub Actions job on a push to the default branch, which sets GITHUB_SHA." },
    );
  }
  const token = deps.env.GITHUB_TOKEN;
  if (!token) {
    throw new ArkSyncError(
      "usage",
      "github_token_missing",
      "--require-reviewed needs GITHUB_TOKEN to read the pull request's plan; nothing was applied.",
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression for the user to copy
        hint: "In the workflow step, add `env: GITHUB_TOKEN: ${{ github.token }}` and give the job `permissions: pull-requests: write`.",
      },
    );
  }
  const context = await readGitHubContext(deps.env);
  const { owner, repo } = requireRepository(context);
  const client = connectGitHub(context, token, deps);
  const found = await findPullRequestForCommit(client, owner, repo, commit);
  if (found.kind !== "found") {
    const why =
      found.kind === "none"
        ? `commit ${commit.slice(0, 12)} belongs to no pull request, so no plan of it was reviewed`
        : `commit ${commit.slice(0, 12)} belongs to several pull requests (${found.numbers.map((n) => `#${n}`).join(", ")}) and none was merged as it`;
    throw new ArkSyncError(
      "input",
      found.kind === "none" ? "review_no_pull_request" : "review_ambiguous_pull_request",
      `Not applied: ${why}. Nothing was sent to Ark.`,
      {
        hint: "Change the manifests through a pull request: ark-sync posts its plan there, and applies that plan when it is merged.",
      },
    );
  }
  const marker = commentMarker(directory);
  const target: ResultTarget = {
    client,
    owner,
    repo,
    issueNumber: found.pullRequest.number,
    marker,
    author: await resolveCommentAuthor(client, author),
    log: deps.log,
  };
  const comment = await findStickyComment(target);
  const record = comment ? readPlanRecord(comment.body ?? "") : null;
  const missing = !comment
    ? `pull request #${found.pullRequest.number} has no ark-sync comment for this directory`
    : record === null
      ? `the ark-sync comment on pull request #${found.pullRequest.number} carries no plan record (it was posted by an earlier ark-sync, its plan job did not finish, or the directory could not be planned)`
      : "";
  return {
    commit,
    pullRequest: found.pullRequest,
    record,
    missing,
    target,
    appliedCommit: comment ? appliedCommitIn(comment.body ?? "") : null,
    runUrl: context.runUrl,
  };
}
