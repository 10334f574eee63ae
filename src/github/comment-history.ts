// What GitHub knows of a plan comment beyond its text (docs/github.md#applying-only-the-reviewed-plan):
// whether it is minimized, when it was posted and last edited, and by whom every edit was made.
// Read through GraphQL, the only API that has them. Unlike the sticky comment's visibility check, an
// answer that is missing or incomplete is an error: the review gate fails closed on it.
import type { GitHubClient } from "./client.js";
import type { CommentAuthor } from "./comment-author.js";

export interface CommentHistory {
  nodeId: string;
  minimized: boolean;
  /** ISO time the comment last changed (its last edit, else its creation). */
  lastChangedAt: string;
  /** Everyone who edited it other than `author`, with when. */
  foreignEditors: { login: string; at: string | null }[];
}

interface Actor {
  __typename?: string;
  login?: string;
}

interface HistoryNode {
  id?: string;
  isMinimized?: boolean;
  createdAt?: string;
  lastEditedAt?: string | null;
  editor?: Actor | null;
  userContentEdits?: { totalCount?: number; nodes?: ({ editedAt?: string; editor?: Actor | null } | null)[] };
}

/** GitHub keeps the first 100 edits in one answer; a plan comment edited more often is not trusted. */
const MAX_EDITS = 100;

const HISTORY_QUERY = `query ArkSyncCommentHistory($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on IssueComment {
      id isMinimized createdAt lastEditedAt
      editor { __typename login }
      userContentEdits(first: ${MAX_EDITS}) { totalCount nodes { editedAt editor { __typename login } } }
    }
  }
}`;

/** The history of each comment, in order; throws when GitHub cannot say all of it. */
export async function readCommentHistories(
  client: GitHubClient,
  nodeIds: readonly string[],
  author: CommentAuthor,
): Promise<CommentHistory[]> {
  const histories: CommentHistory[] = [];
  for (let start = 0; start < nodeIds.length; start += 100) {
    const ids = nodeIds.slice(start, start + 100);
    const data = await client.graphql<{ nodes?: (HistoryNode | null)[] }>(HISTORY_QUERY, { ids });
    const byId = new Map((data.nodes ?? []).flatMap((node) => (node?.id ? [[node.id, node]] : [])));
    for (const id of ids) histories.push(toHistory(id, byId.get(id), author));
  }
  return histories;
}

function toHistory(id: string, node: HistoryNode | undefined, author: CommentAuthor): CommentHistory {
  if (!node || typeof node.isMinimized !== "boolean" || typeof node.createdAt !== "string") {
    throw new Error(`GitHub's GraphQL API said nothing about comment ${id}`);
  }
  const edits = node.userContentEdits;
  const listed = edits?.nodes ?? [];
  if (typeof edits?.totalCount !== "number" || edits.totalCount > listed.length) {
    throw new Error(
      `comment ${id} has ${edits?.totalCount ?? "an unknown number of"} edits, more than the ${MAX_EDITS} ark-sync can check`,
    );
  }
  const editors = listed.map((edit) => ({ actor: edit?.editor ?? null, at: edit?.editedAt ?? null }));
  if (node.lastEditedAt) editors.push({ actor: node.editor ?? null, at: node.lastEditedAt });
  // The last edit is both in the list and in `editor`/`lastEditedAt`: each editor and time once.
  const foreign = new Map<string, { login: string; at: string | null }>();
  for (const { actor, at } of editors) {
    if (isAuthor(actor, author)) continue;
    const login = actor?.login ?? "a deleted account";
    foreign.set(`${login} ${at}`, { login, at });
  }
  return {
    nodeId: id,
    minimized: node.isMinimized,
    lastChangedAt: node.lastEditedAt ?? node.createdAt,
    foreignEditors: [...foreign.values()],
  };
}

/** GraphQL names a bot without REST's `[bot]` suffix (`github-actions` for `github-actions[bot]`). */
function isAuthor(actor: Actor | null, author: CommentAuthor): boolean {
  if (!actor || typeof actor.login !== "string") return false;
  if (author.type === "Bot" && actor.__typename !== "Bot") return false;
  const bare = (login: string) => login.toLowerCase().replace(/\[bot\]$/, "");
  return bare(actor.login) === bare(author.login);
}
