// Publishes a plan in a GitHub Actions job: the whole plan into the job summary (up to 1 MiB), and the
// sticky pull-request comment (up to 65,536 characters) and its labels when the event is a pull request.
import { ArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import { renderPlanMarkdown } from "../render/markdown.js";
import { APPLY_RESULT_ROOM } from "./apply-result.js";
import { connectGitHub, type GitHubClient, GitHubRequestError } from "./client.js";
import { resolveCommentAuthor } from "./comment-author.js";
import { commentMarker } from "./comment-marker.js";
import {
  type GitHubContext,
  type GitHubDependencies,
  readGitHubContext,
  requireRepository,
} from "./github-context.js";
import { syncPlanLabels } from "./plan-labels.js";
import { PLAN_RECORD_BUDGET, planRecordOf, renderPlanRecord } from "./plan-record.js";
import { appendStepSummary, remainingSummaryBytes } from "./step-summary.js";
import { GITHUB_COMMENT_LIMIT, type StickyCommentResult, upsertStickyComment } from "./sticky-comment.js";

export interface PublishOptions {
  /** The manifest directory: one sticky comment per directory. */
  directory: string;
  /** Post or update the pull-request comment (when the event is a pull request). */
  comment: boolean;
  /** With the comment, keep the pull request's ark-sync labels in step with the plan. */
  labels: boolean;
  /** Login whose comments ark-sync may update, e.g. `my-app[bot]`; found from the token when unset. */
  author?: string;
  /** Pull request number, instead of the event's. */
  issueNumber?: number;
  /** Heading of the job summary's plan. */
  summaryTitle?: string;
}

export interface PublishResult {
  summaryWritten: boolean;
  comment: StickyCommentResult | null;
}

/** Below this the summary is skipped: only the head of a plan would fit. */
const MIN_SUMMARY_BYTES = 4096;

export async function publishPlan(
  plan: Plan,
  options: PublishOptions,
  deps: GitHubDependencies,
): Promise<PublishResult> {
  const context = await readGitHubContext(deps.env, options.issueNumber);
  const summaryWritten = await writeSummary(plan, options, context, deps.log);
  if (!options.comment) return { summaryWritten, comment: null };
  const issueNumber = context.issueNumber;
  if (issueNumber === null) {
    deps.log("Not a pull request event, so no comment was posted (name one with --pr).");
    return { summaryWritten, comment: null };
  }
  const client = connect(context, deps);
  let comment: StickyCommentResult;
  try {
    comment = await postComment(client, plan, options, context, issueNumber, summaryWritten, deps);
  } catch (error) {
    // A fork's pull request gets a read-only token: the plan is still in the job summary.
    if (context.fromFork && error instanceof GitHubRequestError && error.status === 403) {
      deps.log(
        "This pull request comes from a fork, whose token cannot comment; the plan is in the job summary.",
      );
      return { summaryWritten, comment: null };
    }
    throw error;
  }
  if (options.labels) await labelPullRequest(client, plan, context, issueNumber, deps.log);
  return { summaryWritten, comment };
}

/** The labels follow the comment and never cost it: a failure is a warning (docs/github.md#labels). */
async function labelPullRequest(
  client: GitHubClient,
  plan: Plan,
  context: GitHubContext,
  issueNumber: number,
  log: (line: string) => void,
): Promise<void> {
  const { owner, repo } = requireRepository(context);
  try {
    const result = await syncPlanLabels({ client, owner, repo, issueNumber, plan });
    const changes = [
      result.added.length > 0 ? `added ${result.added.join(", ")}` : "",
      result.removed.length > 0 ? `removed ${result.removed.join(", ")}` : "",
      result.created.length > 0 ? `created ${result.created.join(", ")} in ${owner}/${repo}` : "",
    ].filter(Boolean);
    if (changes.length > 0) log(`Labels on #${issueNumber}: ${changes.join("; ")}.`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(
      `Warning: the pull request's labels were not updated (${reason}); the comment is posted. ` +
        "Labels need the token permission `issues: write` or `pull-requests: write`; turn them off with --no-labels (the Action's `labels: false`).",
    );
  }
}

/** The comment's body: the marker line, the plan fitted to GitHub's limit with room left for an
 * apply's outcome, and the plan's hidden record for `apply --require-reviewed` (docs/github.md). */
export function renderCommentBody(plan: Plan, directory: string, fullPlanHint: string): string {
  const marker = commentMarker(directory);
  const record = renderPlanRecord(planRecordOf(plan), PLAN_RECORD_BUDGET);
  const markdown = renderPlanMarkdown(plan, {
    directory,
    maxLength: GITHUB_COMMENT_LIMIT - marker.length - record.length - 2 - APPLY_RESULT_ROOM,
    fullPlanHint,
  });
  return `${marker}\n${markdown}\n${record}`;
}

async function writeSummary(
  plan: Plan,
  options: PublishOptions,
  context: GitHubContext,
  log: (line: string) => void,
): Promise<boolean> {
  if (context.stepSummaryPath === null) return false;
  const budget = (await remainingSummaryBytes(context.stepSummaryPath)) - 1;
  if (budget < MIN_SUMMARY_BYTES) {
    log("The job summary of this step is full (1 MiB), so the plan was not added to it.");
    return false;
  }
  const markdown = renderPlanMarkdown(plan, {
    directory: options.directory,
    maxLength: budget,
    unit: "utf8",
    fullPlanHint: "the saved plan file (`ark-sync plan --out`)",
    ...(options.summaryTitle === undefined ? {} : { title: options.summaryTitle }),
  });
  await appendStepSummary(context.stepSummaryPath, markdown);
  return true;
}

/** The client for the job's token. */
function connect(context: GitHubContext, deps: GitHubDependencies): GitHubClient {
  const token = deps.env.GITHUB_TOKEN;
  if (!token) {
    throw new ArkSyncError(
      "usage",
      "github_token_missing",
      "GITHUB_TOKEN is not set, so the plan cannot be posted as a comment",
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression for the user to copy
        hint: "In the workflow step, add `env: GITHUB_TOKEN: ${{ github.token }}` and give the job `permissions: pull-requests: write`.",
      },
    );
  }
  return connectGitHub(context, token, deps);
}

async function postComment(
  client: GitHubClient,
  plan: Plan,
  options: PublishOptions,
  context: GitHubContext,
  issueNumber: number,
  summaryWritten: boolean,
  deps: GitHubDependencies,
): Promise<StickyCommentResult> {
  const { owner, repo } = requireRepository(context);
  const hint = !summaryWritten
    ? "the saved plan file (`ark-sync plan --out`)"
    : context.runUrl
      ? `[the job summary](${context.runUrl})`
      : "the job summary";
  const body = renderCommentBody(plan, options.directory, hint);
  const author = await resolveCommentAuthor(client, options.author);
  return upsertStickyComment({
    client,
    owner,
    repo,
    issueNumber,
    marker: commentMarker(options.directory),
    body,
    author,
    log: deps.log,
  });
}
