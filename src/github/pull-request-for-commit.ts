// The pull request a commit on the default branch came from (docs/github.md#applying-only-the-reviewed-plan):
// GitHub lists the pull requests associated with a commit; the one merged as this very commit wins,
// else a single associated one; several others are ambiguous, and none is none.
import type { GitHubClient } from "./client.js";

export interface PullRequestRef {
  number: number;
  url: string;
}

export type CommitPullRequest =
  | { kind: "found"; pullRequest: PullRequestRef }
  | { kind: "none" }
  | { kind: "ambiguous"; numbers: number[] };

interface PullRequestItem {
  number: number;
  html_url: string;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
}

export async function findPullRequestForCommit(
  client: GitHubClient,
  owner: string,
  repo: string,
  sha: string,
): Promise<CommitPullRequest> {
  const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/commits/${sha}/pulls?per_page=100`;
  const items = (await client.paginate<PullRequestItem>(path)).filter((item) =>
    Number.isSafeInteger(item.number),
  );
  const mergedAsThis = items.filter((item) => item.merged_at && item.merge_commit_sha === sha);
  const chosen = mergedAsThis.length === 1 ? mergedAsThis : items;
  const only = chosen[0];
  if (chosen.length === 1 && only) {
    return { kind: "found", pullRequest: { number: only.number, url: only.html_url } };
  }
  return chosen.length === 0 ? { kind: "none" } : { kind: "ambiguous", numbers: chosen.map((i) => i.number) };
}
