// One pull request as the review gate needs it (docs/github.md#applying-only-the-reviewed-plan): who
// opened it, the head commit it was merged from, and the approving reviews it carries.
import type { GitHubClient } from "./client.js";
import { isCommitSha } from "./github-context.js";

export interface PullRequestFacts {
  number: number;
  author: string;
  /** The head commit it was merged from (or is at, while open). */
  headSha: string;
}

export interface Review {
  login: string;
  isBot: boolean;
  state: string;
  /** ISO time; null for a pending review. */
  submittedAt: string | null;
}

interface PullRequestItem {
  number?: unknown;
  user?: { login?: unknown } | null;
  head?: { sha?: unknown } | null;
}

interface ReviewItem {
  user?: { login?: unknown; type?: unknown } | null;
  state?: unknown;
  submitted_at?: unknown;
}

export async function readPullRequest(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
): Promise<PullRequestFacts> {
  const item = await client.request<PullRequestItem>("GET", `${repoPath(owner, repo)}/pulls/${number}`);
  const headSha = item.head?.sha;
  if (!isCommitSha(headSha)) throw new Error(`pull request #${number} came without its head commit`);
  return { number, author: typeof item.user?.login === "string" ? item.user.login : "", headSha };
}

export async function readReviews(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
): Promise<Review[]> {
  const items = await client.paginate<ReviewItem>(
    `${repoPath(owner, repo)}/pulls/${number}/reviews?per_page=100`,
  );
  return items.map((item) => {
    const login = typeof item.user?.login === "string" ? item.user.login : "";
    return {
      login,
      isBot: item.user?.type === "Bot" || login.endsWith("[bot]") || login === "",
      state: typeof item.state === "string" ? item.state : "",
      submittedAt: typeof item.submitted_at === "string" ? item.submitted_at : null,
    };
  });
}

/** The other pull requests whose merge commit is among `commits` (the ones a push brought together). */
export async function mergedAlongside(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
  commits: readonly string[],
): Promise<number[]> {
  const pushed = new Set(commits);
  // Pull requests a push merged were updated by that merge: the most recently updated closed ones.
  const items = await client.request<{ number?: unknown; merge_commit_sha?: unknown; merged_at?: unknown }[]>(
    "GET",
    `${repoPath(owner, repo)}/pulls?state=closed&sort=updated&direction=desc&per_page=100`,
  );
  return (Array.isArray(items) ? items : [])
    .filter((item) => typeof item.merged_at === "string" && pushed.has(String(item.merge_commit_sha)))
    .map((item) => Number(item.number))
    .filter((other) => Number.isSafeInteger(other) && other !== number)
    .sort((a, b) => a - b);
}

function repoPath(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}
