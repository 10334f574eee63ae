// The pull request's labels from every directory's plan at once (docs/github.md#labels), for the job
// that follows a matrix of plan jobs: each posted its own directory's comment, and none of them can
// see the others' plans. The plans are read back from the hidden plan records of ark-sync's visible
// comments on the pull request; a comment without one (a failed plan) counts for neither label.
import { connectWithJobToken } from "./client.js";
import { isAuthoredBy, resolveCommentAuthor } from "./comment-author.js";
import { commentMarker, startsWithAnyMarker, startsWithMarker } from "./comment-marker.js";
import { type GitHubDependencies, readGitHubContext, requireRepository } from "./github-context.js";
import { labelPullRequest, labelsFor } from "./plan-labels.js";
import { readPlanRecord } from "./plan-record.js";
import { type IssueComment, visibleComments } from "./sticky-comment.js";

export interface CommentLabelsOptions {
  /** Only these directories' comments; all of ark-sync's comments when absent. */
  directories?: string[];
  /** Login of ark-sync's comments, for GitHub App tokens; found from the token when unset. */
  author?: string;
}

/** How many plans the labels were set from; null when there was nothing to label (see the log). */
export async function labelFromComments(
  options: CommentLabelsOptions,
  deps: GitHubDependencies,
): Promise<number | null> {
  const context = await readGitHubContext(deps.env);
  const issueNumber = context.issueNumber;
  if (issueNumber === null) {
    deps.log("Not a pull request event, so there are no labels to keep.");
    return null;
  }
  const { owner, repo } = requireRepository(context);
  const client = connectWithJobToken(context, deps);
  const author = await resolveCommentAuthor(client, options.author);
  const markers = options.directories?.map(commentMarker);
  const comments = await client.paginate<IssueComment>(
    `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${issueNumber}/comments?per_page=100`,
  );
  const ours = comments.filter((comment) => {
    const body = comment.body ?? "";
    const isOurs = markers
      ? markers.some((marker) => startsWithMarker(body, marker))
      : startsWithAnyMarker(body);
    return isOurs && isAuthoredBy(comment.user, author);
  });
  const visible = await visibleComments(client, ours, "counting it", deps.log);
  const records = visible.flatMap((comment) => readPlanRecord(comment.body ?? "") ?? []);
  if (records.length === 0) {
    deps.log(`No plan on pull request #${issueNumber} to label it from; its labels are left as they are.`);
    return null;
  }
  // A record has no moves (they change nothing on Ark): a plan that only moves counts as no change.
  const changes = records.some(({ summary }) => summary.add + summary.change + summary.destroy > 0);
  const destroys = records.some(({ summary }) => summary.destroy > 0);
  await labelPullRequest(client, labelsFor(changes, destroys), context, issueNumber, deps.log);
  return records.length;
}
