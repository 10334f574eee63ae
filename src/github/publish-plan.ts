// Publishes plans in a GitHub Actions job: each whole plan into the job summary (up to 1 MiB in all),
// and on a pull request one sticky comment per manifest directory (up to 65,536 characters each) and
// the pull request's labels. A directory that could not be planned gets its error in place of a plan.
// Before commenting, the rules of the default branch and of each git state branch are read once, and
// what they lack is a warning in each directory's comment and in the log (docs/github.md#recommended-rulesets).
import { renderPlanMarkdown } from "../render/markdown.js";
import { renderPlanFailureMarkdown } from "../render/markdown-failure.js";
import type { DirectoryPlan } from "../render/plans-index.js";
import { type BranchFinding, evaluateBranch } from "./branch-safeguards.js";
import { connectWithJobToken, GitHubRequestError } from "./client.js";
import { resolveCommentAuthor } from "./comment-author.js";
import { renderCommentBody } from "./comment-body.js";
import { commentMarker } from "./comment-marker.js";
import {
  type GitHubContext,
  type GitHubDependencies,
  readGitHubContext,
  requireRepository,
} from "./github-context.js";
import { labelPullRequest, planLabels } from "./plan-labels.js";
import type { CommentFacts } from "./plan-record.js";
import { type RepositoryRulesRequest, readRepositoryRules } from "./repository-rules.js";
import { renderRulesNotice, rulesWarningLines } from "./rules-notice.js";
import { appendStepSummary, remainingSummaryBytes } from "./step-summary.js";
import { type StickyCommentResult, upsertStickyComment } from "./sticky-comment.js";

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

/** Room for the line that gives the plan's whole hash. */
const PLAN_HASH_LINE_ROOM = 200;

/** The whole hash, which the manual apply run takes (docs/github.md#recovering-after-a-refusal). */
export function planHashLine(hash: string): string {
  return `Plan hash, for \`ark-sync apply --plan-hash\` (the apply workflow's \`plan_hash\`): \`${hash}\``;
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
  const findingsFor = await branchRulesFindings(
    { client, owner, repo, defaultBranch: context.defaultBranch, stateBranches: stateBranches.values() },
    stateBranches,
    deps.log,
  );
  const comments: StickyCommentResult[] = [];
  try {
    for (const [i, directoryPlan] of plans.entries()) {
      const body = renderComment(directoryPlan, {
        head: context.headSha,
        hint: fullPlanHint(summarized[i] === true, context),
        rules: findingsFor(directoryPlan.directory),
      });
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

function renderComment(directoryPlan: DirectoryPlan, facts: CommentFacts): string {
  if ("plan" in directoryPlan) return renderCommentBody(directoryPlan.plan, directoryPlan.directory, facts);
  // No plan record: `apply --require-reviewed` refuses a directory whose plan failed.
  const failure = renderPlanFailureMarkdown(directoryPlan.directory, directoryPlan.error);
  const notice = renderRulesNotice(facts.rules);
  return `${commentMarker(directoryPlan.directory)}\n${notice === "" ? failure : `${failure}\n\n${notice}`}`;
}

/**
 * Reads the rules of the default branch and of every state branch once, logs what they lack (or why
 * they could not be read) once, and gives each directory's warning: the default branch's and its
 * state branch's. Never throws: an unreadable rule is a line in the warning, not a failed plan.
 */
async function branchRulesFindings(
  request: RepositoryRulesRequest,
  stateBranchOf: ReadonlyMap<string, string>,
  log: (line: string) => void,
): Promise<(directory: string) => BranchFinding[]> {
  const rules = await readRepositoryRules(request);
  const defaultBranch = evaluateBranch(rules.defaultBranch);
  const stateBranches = new Map(
    [...rules.stateBranches].map(([name, branch]) => [name, evaluateBranch(branch)]),
  );
  for (const line of rulesWarningLines([defaultBranch, ...stateBranches.values()])) log(line);
  return (directory) => {
    const name = stateBranchOf.get(directory);
    const state = name === undefined ? undefined : stateBranches.get(name);
    // Only what the warning says: a branch that lacks nothing adds nothing to the comment or its record.
    const findings = state === undefined ? [defaultBranch] : [defaultBranch, state];
    return findings.filter((finding) => "error" in finding || finding.missing.length > 0);
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
          maxLength: budget - PLAN_HASH_LINE_ROOM,
          unit: "utf8",
          fullPlanHint: "the saved plan file (`ark-sync plan --out`)",
          ...(options.summaryTitle === undefined ? {} : { title: options.summaryTitle }),
        })
      : renderPlanFailureMarkdown(directory, directoryPlan.error);
  const hashLine = "plan" in directoryPlan ? `\n\n${planHashLine(directoryPlan.plan.plan_hash)}` : "";
  await appendStepSummary(context.stepSummaryPath, `${markdown}${hashLine}`);
  return true;
}
