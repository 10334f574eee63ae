// One comment per marker on a pull request, updated in place (after marocchino/sticky-pull-request-
// comment). The earlier comment must start with the marker, be by the token's own user, and not be
// minimized: the REST API has no minimized flag, so the candidates are checked through GraphQL
// (`isMinimized`, and `viewerDidAuthor` to confirm authorship). When GraphQL cannot answer, that is
// said on stderr and the candidate is taken as visible. A body over GitHub's limit is never sent.
import { ArkSyncError } from "../core/errors.js";
import { type GitHubClient, GitHubRequestError } from "./client.js";
import { type CommentAuthor, type CommentUser, isAuthoredBy } from "./comment-author.js";
import { startsWithMarker } from "./comment-marker.js";

/** GitHub rejects longer comment bodies (422 "Body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface StickyCommentRequest {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  marker: string;
  body: string;
  author: CommentAuthor;
  log?: (line: string) => void;
}

export interface StickyCommentResult {
  action: "created" | "updated" | "unchanged";
  id: number;
  url: string;
}

export interface IssueComment {
  id: number;
  node_id: string;
  body?: string | null;
  html_url: string;
  user: CommentUser | null;
}

const VISIBILITY_QUERY = `query ArkSyncCommentVisibility($ids: [ID!]!) {
  nodes(ids: $ids) { ... on IssueComment { id isMinimized viewerDidAuthor } }
}`;

export async function upsertStickyComment(request: StickyCommentRequest): Promise<StickyCommentResult> {
  const { client, owner, repo, issueNumber, marker, body } = request;
  if (body.length > GITHUB_COMMENT_LIMIT) {
    throw new ArkSyncError(
      "internal",
      "comment_too_long",
      `The comment is ${body.length} characters, over GitHub's limit of ${GITHUB_COMMENT_LIMIT}; it was not sent`,
    );
  }
  if (!startsWithMarker(body, marker)) {
    throw new ArkSyncError(
      "internal",
      "comment_without_marker",
      "The comment does not start with its marker; it was not sent",
    );
  }
  const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues`;
  const existing = await findStickyComment(request);
  if (existing) {
    if (normalizeNewlines(existing.body ?? "") === normalizeNewlines(body)) {
      return { action: "unchanged", id: existing.id, url: existing.html_url };
    }
    const updated = await client.request<IssueComment>("PATCH", `${base}/comments/${existing.id}`, { body });
    return { action: "updated", id: updated.id, url: updated.html_url };
  }
  const created = await client.request<IssueComment>("POST", `${base}/${issueNumber}/comments`, { body });
  return { action: "created", id: created.id, url: created.html_url };
}

/** The comment `upsertStickyComment` would update, if any: by marker, author and visibility. */
export async function findStickyComment(
  request: Omit<StickyCommentRequest, "body">,
): Promise<IssueComment | undefined> {
  const { client, owner, repo, issueNumber, marker, author } = request;
  const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues`;
  const comments = await client.paginate<IssueComment>(`${base}/${issueNumber}/comments?per_page=100`);
  const candidates = comments.filter(
    (comment) =>
      typeof comment.body === "string" &&
      startsWithMarker(comment.body, marker) &&
      isAuthoredBy(comment.user, author),
  );
  return firstVisible(client, candidates, request.log);
}

async function firstVisible(
  client: GitHubClient,
  candidates: IssueComment[],
  log: ((line: string) => void) | undefined,
): Promise<IssueComment | undefined> {
  const [first] = await visibleComments(client, candidates, "updating it as if it were visible", log);
  return first;
}

/**
 * The candidates that are not minimized, in order. A comment GitHub's GraphQL API says nothing about
 * counts as visible, and so do all of them when it cannot answer; `fallback` says so on stderr.
 */
export async function visibleComments(
  client: GitHubClient,
  candidates: IssueComment[],
  fallback: string,
  log: ((line: string) => void) | undefined,
): Promise<IssueComment[]> {
  if (candidates.length === 0) return [];
  const visibility = new Map<string, { isMinimized?: boolean; viewerDidAuthor?: boolean }>();
  try {
    for (let start = 0; start < candidates.length; start += 100) {
      const ids = candidates.slice(start, start + 100).map((comment) => comment.node_id);
      const data = await client.graphql<{
        nodes: ({ id?: string; isMinimized?: boolean; viewerDidAuthor?: boolean } | null)[];
      }>(VISIBILITY_QUERY, { ids });
      for (const node of data.nodes ?? []) if (node?.id) visibility.set(node.id, node);
    }
  } catch (error) {
    if (error instanceof GitHubRequestError && error.status === 401) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    log?.(`Could not check whether ark-sync's earlier comment is minimized (${reason}); ${fallback}.`);
    return candidates;
  }
  const visible = candidates.filter((comment) => {
    const node = visibility.get(comment.node_id);
    return node?.isMinimized !== true && node?.viewerDidAuthor !== false;
  });
  if (visible.some((comment) => !visibility.has(comment.node_id))) {
    log?.(`GitHub's GraphQL API did not say whether ark-sync's earlier comment is minimized; ${fallback}.`);
  }
  return visible;
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n/g, "\n");
}
