// The plan reviewed for a pushed commit, and whether it may be trusted
// (docs/github.md#applying-only-the-reviewed-plan): the pull request the commit came from, alone in
// its push; the directory's ark-sync comment on it (same marker, same author, the only visible one),
// edited by no one else; the plan record on its last line, written by this ark-sync for the head the
// pull request was merged from; and an approval given after the comment last changed. Anything GitHub
// cannot answer is a refusal: the gate fails closed.
import { ArkSyncError } from "../core/errors.js";
import { arkSyncVersion } from "../core/version.js";
import { appliedCommitIn, type ResultTarget } from "./apply-result.js";
import { checkApproval } from "./approval.js";
import { connectGitHub, type GitHubClient } from "./client.js";
import { type CommentAuthor, isAuthoredBy, resolveCommentAuthor } from "./comment-author.js";
import { readCommentHistories } from "./comment-history.js";
import { commentMarker, resultMarker, startsWithMarker } from "./comment-marker.js";
import {
  type GitHubContext,
  type GitHubDependencies,
  isCommitSha,
  readGitHubContext,
  requireRepository,
} from "./github-context.js";
import { type PlanRecord, readPlanRecord } from "./plan-record.js";
import { mergedAlongside, readPullRequest, readReviews } from "./pull-request.js";
import { findPullRequestForCommit, type PullRequestRef } from "./pull-request-for-commit.js";
import type { Refusal } from "./review-refusal.js";
import { findStickyComment, type IssueComment } from "./sticky-comment.js";

export interface ReviewedPlan {
  commit: string;
  pullRequest: PullRequestRef;
  /** The reviewed plan and the comment that shows it, or why there is none that can be trusted. */
  verdict: { kind: "reviewed"; record: PlanRecord; body: string } | { kind: "refused"; refusal: Refusal };
  /** Where the outcome goes: the directory's result comment. */
  target: ResultTarget;
  /** The commit an earlier run reported applied, if any. */
  appliedCommit: string | null;
  runUrl: string | null;
  stepSummaryPath: string | null;
}

export interface ReviewRequirements {
  /** An approving review after the plan comment last changed (--no-require-approval turns it off). */
  approval: boolean;
}

export async function findReviewedPlan(
  directory: string,
  author: string | undefined,
  requirements: ReviewRequirements,
  deps: GitHubDependencies,
): Promise<ReviewedPlan> {
  const commit = deps.env.GITHUB_SHA ?? "";
  if (!isCommitSha(commit)) {
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
  const number = found.pullRequest.number;
  const commentAuthor = await resolveCommentAuthor(client, author);
  const target: ResultTarget = {
    client,
    owner,
    repo,
    issueNumber: number,
    marker: resultMarker(directory),
    author: commentAuthor,
    log: deps.log,
  };
  const asker = new Asker(client, owner, repo, number);
  const verdict = await judge(asker, context, directory, commentAuthor, requirements).catch(
    (error: unknown) => {
      if (error instanceof Unanswered) return { kind: "refused" as const, refusal: error.refusal };
      throw error;
    },
  );
  const result = await findStickyComment(target).catch(() => undefined);
  return {
    commit,
    pullRequest: found.pullRequest,
    verdict,
    target,
    appliedCommit: result ? appliedCommitIn(result.body ?? "") : null,
    runUrl: context.runUrl,
    stepSummaryPath: context.stepSummaryPath,
  };
}

async function judge(
  ask: Asker,
  context: GitHubContext,
  directory: string,
  author: CommentAuthor,
  requirements: ReviewRequirements,
): Promise<ReviewedPlan["verdict"]> {
  const refuse = (refusal: Refusal) => ({ kind: "refused" as const, refusal });
  const number = ask.number;
  const pullRequest = await ask.call(`pull request #${number}`, (c, o, r) =>
    readPullRequest(c, o, r, number),
  );
  if (context.pushedCommits && context.pushedCommits.length > 1) {
    const pushed = context.pushedCommits;
    const others = await ask.call("the pull requests merged by this push", (c, o, r) =>
      mergedAlongside(c, o, r, number, pushed),
    );
    if (others.length > 0)
      return refuse({ kind: "batch", numbers: [number, ...others].sort((a, b) => a - b) });
  }
  const marker = commentMarker(directory);
  const comments = await ask.call(`the comments of pull request #${number}`, (c, o, r) =>
    c.paginate<IssueComment>(
      `/repos/${encodeURIComponent(o)}/${encodeURIComponent(r)}/issues/${number}/comments?per_page=100`,
    ),
  );
  const candidates = comments.filter(
    (comment) =>
      typeof comment.body === "string" &&
      startsWithMarker(comment.body, marker) &&
      isAuthoredBy(comment.user, author),
  );
  const histories = await ask.call("the comments' minimized state and edit history (GraphQL)", (c) =>
    readCommentHistories(
      c,
      candidates.map((comment) => comment.node_id),
      author,
    ),
  );
  const visible = candidates.flatMap((comment, i) => {
    const history = histories[i];
    return history && !history.minimized ? [{ comment, history }] : [];
  });
  const [shown, ...more] = visible;
  if (!shown) {
    return refuse({
      kind: "no_plan",
      why: `pull request #${number} has no ark-sync comment for this directory`,
    });
  }
  if (more.length > 0) return refuse({ kind: "several", count: visible.length });
  if (shown.history.foreignEditors.length > 0) {
    return refuse({ kind: "edited", editors: shown.history.foreignEditors });
  }
  const body = shown.comment.body ?? "";
  const record = readPlanRecord(body);
  if (record === null) {
    return refuse({
      kind: "no_plan",
      why: `the ark-sync comment on pull request #${number} carries no plan record (it was posted by an earlier ark-sync, its plan job did not finish, or the directory could not be planned)`,
    });
  }
  if (record.version !== arkSyncVersion) {
    return refuse({ kind: "version", reviewed: record.version, current: arkSyncVersion });
  }
  if (record.head !== pullRequest.headSha) {
    return refuse({ kind: "other_head", planned: record.head, merged: pullRequest.headSha });
  }
  if (requirements.approval) {
    const reviews = await ask.call(`the reviews of pull request #${number}`, (c, o, r) =>
      readReviews(c, o, r, number),
    );
    const approval = checkApproval(reviews, pullRequest.author, shown.history.lastChangedAt);
    if (!approval.approved) return refuse({ kind: "not_approved", why: approval.why });
  }
  return { kind: "reviewed", record, body };
}

/** A GitHub read that, when it fails after the client's retries, refuses rather than guesses. */
class Asker {
  constructor(
    readonly client: GitHubClient,
    readonly owner: string,
    readonly repo: string,
    readonly number: number,
  ) {}

  async call<T>(
    what: string,
    read: (client: GitHubClient, owner: string, repo: string) => Promise<T>,
  ): Promise<T> {
    try {
      return await read(this.client, this.owner, this.repo);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Unanswered({ kind: "unreadable", call: what, message: `Could not read ${what}: ${message}` });
    }
  }
}

class Unanswered extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.kind);
  }
}
