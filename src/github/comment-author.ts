// Whose comments ark-sync may update: the token's own user. GET /user names it for personal access
// tokens; an installation token (the workflow's GITHUB_TOKEN, or a GitHub App's) gets 403 there, and
// then the author is the Actions bot, `github-actions[bot]`. A GitHub App token should pass its own
// bot login (`my-app[bot]`) with --author.
import { type GitHubClient, GitHubRequestError } from "./client.js";

export interface CommentAuthor {
  login: string;
  /** Only comments by a user of this type match; null when any type may. */
  type: "Bot" | null;
  /** How the login was found, for messages. */
  source: "option" | "token" | "actions-bot";
}

export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

export interface CommentUser {
  login: string;
  type?: string;
}

export async function resolveCommentAuthor(
  client: GitHubClient,
  override: string | undefined,
): Promise<CommentAuthor> {
  if (override !== undefined && override !== "") return { login: override, type: null, source: "option" };
  try {
    const user = await client.request<CommentUser>("GET", "/user");
    return { login: user.login, type: null, source: "token" };
  } catch (error) {
    // "Resource not accessible by integration": an installation token, which cannot read /user.
    if (error instanceof GitHubRequestError && error.code === "github_forbidden") {
      return { login: ACTIONS_BOT_LOGIN, type: "Bot", source: "actions-bot" };
    }
    throw error;
  }
}

export function isAuthoredBy(user: CommentUser | null | undefined, author: CommentAuthor): boolean {
  if (!user || typeof user.login !== "string") return false;
  if (author.type !== null && user.type !== author.type) return false;
  return user.login.toLowerCase() === author.login.toLowerCase();
}
