// Publishes plans in a GitHub Actions job: each whole plan into the job summary (up to 1 MiB in all),
// and on a pull request one sticky comment per manifest directory (up to 65,536 characters each) and
// the pull request's labels. A directory that could not be planned gets its error in place of a plan.
// Before commenting, the rules of the default branch and of each git state branch are read once, and
// what they lack is a warning in each directory's comment and in the log (docs/github.md#recommended-rulesets).
import type { Plan } from "../core/types.js";
import { renderPlanMarkdown } from "../render/markdown.js";
import { renderPlanFailureMarkdown } from "../render/markdown-failure.js";
import type { DirectoryPlan } from "../render/plans-index.js";
import { APPLY_RESULT_ROOM } from "./apply-result.js";
import { evaluateBranch } from "./branch-safeguards.js";
import { connectWithJobToken, GitHubRequestError } from "./client.js";
import { resolveCommentAuthor } from "./comment-author.js";
import { commentMarker } from "./comment-marker.js";
import {
  type GitHubContext,
  type GitHubDependencies,
  readGitHubContext,
  requireRepository,
} from "./github-context.js";
import { labelPullRequest, planLabels } from "./plan-labels.js";
import { PLAN_RECORD_BUDGET, planRecordOf, renderPlanRecord } from "./plan-record.js";
import { type RepositoryRulesRequest, readRepositoryRules } from "./repository-rules.js";
import { renderRulesNotice, rulesWarningLines } from "./rules-notice.js";
import { appendStepSummary, remainingSummaryBytes } from "./step-summary.js";
import { GITHUB_COMMENT_LIMIT, type StickyCommentResult, upsertStickyComment } from "./sticky-comment.js";

export interface PublishOptions {
  /** Post or update the pull-request comments (when the event is a pull request). */
  comment: boolean;
  /** With the comments, keep the pull request's ark-sync labels in step with the plans. */
  labels: boolean;
  /** Login whose comments ark-sync may update, e.g. `my-app[bot]`; found from the token when unset. */
  author?: string;
  /** Pull request number, instead of the event's. */
  issueNumber?: number;
  /** Heading of the job summary's plan. */
  summaryTitle?: string;
  /** The branch of each directory whose state is `git:BRANCH`, by directory (state-branches.ts). */
  stateBranches?: ReadonlyMap<string, string>;
}

export interface PublishResult {
  /** Whether any plan went into the job summary. */
  summaryWritten: boolean;
  /** One per directory, in order; empty when no comment was posted. */
  comments: StickyCommentResult[];
}

/** Below this a plan is left out of the summary: only its head would fit. */
const MIN_SUMMARY_BYTES = 4096;

export async function publishPlans(
  plans: readonly DirectoryPlan[],
  options: PublishOptions,
  deps: GitHubDependencies,
): Promise<PublishResult> {
  const context = await readGitHubContext(deps.env, options.issueNumber);
  const summarized: boolean[] = [];
  for (const [i, directoryPlan] of plans.entries()) {
    // Each directory gets an equal share of what is left, so one big plan cannot crowd out the rest.
    summarized.push(await writeSummary(directoryPlan, plans.length - i, options, context, deps.log));
  }
  const summaryWritten = summarized.includes(true);
  if (!options.comment) return { summaryWritten, comments: [] };
  const issueNumber = context.issueNumber;
  if (issueNumber === null) {
    deps.log("Not a pull request event, so no comment was posted (name one with --pr).");
    return { summaryWritten, comments: [] };
  }
  const client = connectWithJobToken(context, deps);
  const author = await resolveCommentAuthor(client, options.author);
  const { owner, repo } = requireRepository(context);
  const stateBranches = options.stateBranches ?? new Map<string, string>();
  const notices = await branchRulesNotices(
    { client, owner, repo, defaultBranch: context.defaultBranch, stateBranches: stateBranches.values() },
    stateBranches,
    deps.log,
  );
  const comments: StickyCommentResult[] = [];
  try {
    for (const [i, directoryPlan] of plans.entries()) {
      const hint = fullPlanHint(summarized[i] === true, context);
      const body = renderComment(directoryPlan, hint, notices(directoryPlan.directory));
      const marker = commentMarker(directoryPlan.directory);
      comments.push(
        await upsertStickyComment({ client, owner, repo, issueNumber, marker, body, author, log: deps.log }),
      );
    }
  } catch (error) {
    // A fork's pull request gets a read-only token: the plans are still in the job summary.
    if (context.fromFork && error instanceof GitHubRequestError && error.status === 403) {
      deps.log(
        "This pull request comes from a fork, whose token cannot comment; the plan is in the job summary.",
      );
      return { summaryWritten, comments: [] };
    }
    throw error;
  }
  // The labels follow what was planned; a directory that could not be planned says nothing about them.
  const planned = plans.flatMap((directoryPlan) => ("plan" in directoryPlan ? [directoryPlan.plan] : []));
  if (options.labels && planned.length > 0) {
    await labelPullRequest(client, planLabels(planned), context, issueNumber, deps.log);
  }
  return { summaryWritten, comments };
}

/** The comment's body: the marker line, the plan fitted to GitHub's limit with room left for an
 * apply's outcome, `notices` (Markdown, e.g. the branch rules' warning; may be empty) and the plan's
 * hidden record for `apply --require-reviewed` (docs/github.md). */
export function renderCommentBody(plan: Plan, directory: string, fullPlanHint: string, notices = ""): string {
  const marker = commentMarker(directory);
  const record = renderPlanRecord(planRecordOf(plan), PLAN_RECORD_BUDGET);
  const tail = withNotices(notices, record);
  const markdown = renderPlanMarkdown(plan, {
    directory,
    maxLength: GITHUB_COMMENT_LIMIT - marker.length - tail.length - 2 - APPLY_RESULT_ROOM,
    fullPlanHint,
  });
  return `${marker}\n${markdown}\n${tail}`;
}

function renderComment(directoryPlan: DirectoryPlan, hint: string, notices: string): string {
  if ("plan" in directoryPlan)
    return renderCommentBody(directoryPlan.plan, directoryPlan.directory, hint, notices);
  // No plan record: `apply --require-reviewed` refuses a directory whose plan failed.
  const failure = renderPlanFailureMarkdown(directoryPlan.directory, directoryPlan.error);
  return `${commentMarker(directoryPlan.directory)}\n${notices === "" ? failure : `${failure}\n\n${notices}`}`;
}

/** The notices and a blank line before what follows them; just what follows when there are none. */
function withNotices(notices: string, next: string): string {
  return notices === "" ? next : `${notices}\n\n${next}`;
}

/**
 * Reads the rules of the default branch and of every state branch once, logs what they lack (or why
 * they could not be read) once, and gives each directory's warning: the default branch's and its
 * state branch's. Never throws: an unreadable rule is a line in the warning, not a failed plan.
 */
async function branchRulesNotices(
  request: RepositoryRulesRequest,
  stateBranchOf: ReadonlyMap<string, string>,
  log: (line: string) => void,
): Promise<(directory: string) => string> {
  const rules = await readRepositoryRules(request);
  const defaultBranch = evaluateBranch(rules.defaultBranch);
  const stateBranches = new Map(
    [...rules.stateBranches].map(([name, branch]) => [name, evaluateBranch(branch)]),
  );
  for (const line of rulesWarningLines([defaultBranch, ...stateBranches.values()])) log(line);
  return (directory) => {
    const name = stateBranchOf.get(directory);
    const state = name === undefined ? undefined : stateBranches.get(name);
    return renderRulesNotice(state === undefined ? [defaultBranch] : [defaultBranch, state]);
  };
}

function fullPlanHint(summaryWritten: boolean, context: GitHubContext): string {
  if (!summaryWritten) return "the saved plan file (`ark-sync plan --out`)";
  return context.runUrl ? `[the job summary](${context.runUrl})` : "the job summary";
}

/** Appends the directory's plan to the job summary, within 1/`share` of the room left. */
async function writeSummary(
  directoryPlan: DirectoryPlan,
  share: number,
  options: PublishOptions,
  context: GitHubContext,
  log: (line: string) => void,
): Promise<boolean> {
  if (context.stepSummaryPath === null) return false;
  const budget = Math.floor((await remainingSummaryBytes(context.stepSummaryPath)) / share) - 1;
  const { directory } = directoryPlan;
  if (budget < MIN_SUMMARY_BYTES) {
    log(`The job summary of this step is full (1 MiB), so the plan for ${directory} was not added to it.`);
    return false;
  }
  const markdown =
    "plan" in directoryPlan
      ? renderPlanMarkdown(directoryPlan.plan, {
          directory,
          maxLength: budget,
          unit: "utf8",
          fullPlanHint: "the saved plan file (`ark-sync plan --out`)",
          ...(options.summaryTitle === undefined ? {} : { title: options.summaryTitle }),
        })
      : renderPlanFailureMarkdown(directory, directoryPlan.error);
  await appendStepSummary(context.stepSummaryPath, markdown);
  return true;
}
