// A small GitHub REST and GraphQL client over global fetch: JSON in and out, retries for rate limits
// (bounded in count and in each wait), pagination by Link header, and errors that say what to fix;
// the label calls are typed methods (docs/github.md#labels).
// The token goes into the Authorization header only; every message is scrubbed of it regardless.
import { ArkSyncError, type ErrorCode } from "../core/errors.js";
import type { GitHubContext, GitHubDependencies } from "./github-context.js";
import { decideRetry, networkRetryDelay, type RetryDecision } from "./rate-limit.js";

export interface GitHubClientOptions {
  /** REST base, e.g. https://api.github.com or https://ghe.example/api/v3. */
  apiUrl: string;
  graphqlUrl: string;
  token: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Progress lines (waits for rate limits) for stderr. */
  log?: (line: string) => void;
  /** Retries per request. Default 4. */
  maxRetries?: number;
  /** A wait longer than this is not waited for: the request fails instead. Default 120 s. */
  maxWaitMs?: number;
  /** Per request, after which it counts as a network error. Default 30 s. */
  timeoutMs?: number;
}

export interface GitHubClient {
  request<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T>;
  /** Every item of a paginated list, following `Link: <…>; rel="next"`. */
  paginate<T>(path: string): Promise<T[]>;
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** The labels on an issue or pull request. */
  issueLabels(owner: string, repo: string, issueNumber: number): Promise<GitHubLabel[]>;
  /** Adds labels to an issue or pull request (those it already has are kept). */
  addIssueLabels(owner: string, repo: string, issueNumber: number, names: string[]): Promise<void>;
  removeIssueLabel(owner: string, repo: string, issueNumber: number, name: string): Promise<void>;
  /** Every label defined in the repository. */
  repositoryLabels(owner: string, repo: string): Promise<GitHubLabel[]>;
  createLabel(owner: string, repo: string, label: GitHubLabel): Promise<void>;
}

export interface GitHubLabel {
  name: string;
  /** Six hex digits, no `#`. */
  color?: string;
  description?: string | null;
}

/** A GitHub answer that is an error; `status` lets callers handle, e.g., 403 from GET /user. */
export class GitHubRequestError extends ArkSyncError {
  readonly status: number;

  constructor(status: number, code: ErrorCode, message: string, hint: string | undefined) {
    super("external", code, message, hint === undefined ? {} : { hint });
    this.status = status;
  }
}

const MAX_PAGES = 100;

/** The client for a run's GitHub context, with the command's log and test hooks. */
export function connectGitHub(
  context: Pick<GitHubContext, "apiUrl" | "graphqlUrl">,
  token: string,
  deps: GitHubDependencies,
): GitHubClient {
  return createGitHubClient({
    apiUrl: context.apiUrl,
    graphqlUrl: context.graphqlUrl,
    token,
    log: deps.log,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
}

/** The client for the job's GITHUB_TOKEN, which commenting and labelling need. */
export function connectWithJobToken(context: GitHubContext, deps: GitHubDependencies): GitHubClient {
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

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const token = checkToken(options.token);
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const apiOrigin = new URL(apiUrl).origin;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const scrub = (text: string) => text.split(token).join("[REDACTED]");

  async function send(
    method: string,
    url: string,
    body: unknown,
    idempotent: boolean,
  ): Promise<{ data: unknown; headers: Headers }> {
    const what = `${method} ${describeUrl(url)}`;
    for (let retry = 0; ; retry++) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${token}`,
            "user-agent": "ark-sync",
            "x-github-api-version": "2022-11-28",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const cause = scrub(describeNetworkError(error));
        if (idempotent && retry < maxRetries) {
          const delay = networkRetryDelay(retry);
          options.log?.(`GitHub did not answer ${what} (${cause}); retrying in ${seconds(delay)}`);
          await sleep(delay);
          continue;
        }
        throw new ArkSyncError(
          "external",
          "github_unreachable",
          `Could not reach GitHub for ${what}: ${cause}`,
          {
            hint: "Check GITHUB_API_URL and the runner's network.",
          },
        );
      }
      const bodyText = await response.text();
      if (response.ok) return { data: parseJson(bodyText, what), headers: response.headers };
      const decision = decideRetry(
        { status: response.status, headers: response.headers, bodyText },
        retry,
        idempotent,
        now(),
      );
      if (decision !== null && retry < maxRetries && decision.delayMs <= maxWaitMs) {
        options.log?.(
          `GitHub answered ${response.status} (${decision.reason}) to ${what}; retrying in ${seconds(decision.delayMs)}`,
        );
        await sleep(decision.delayMs);
        continue;
      }
      throw describeFailure(response.status, what, bodyText, decision, scrub);
    }
  }

  function restUrl(path: string): string {
    return `${apiUrl}${path.startsWith("/") ? path : `/${path}`}`;
  }

  return {
    async request<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T> {
      // A POST that failed with a server error may have taken effect: repeating it could comment twice.
      return (await send(method, restUrl(path), body, method !== "POST")).data as T;
    },

    async paginate<T>(path: string): Promise<T[]> {
      const items: T[] = [];
      let url: string | null = restUrl(path);
      for (let page = 0; url !== null; page++) {
        if (page === MAX_PAGES) {
          throw new ArkSyncError(
            "external",
            "github_too_many_pages",
            `GitHub returned more than ${MAX_PAGES} pages for ${describeUrl(restUrl(path))}`,
          );
        }
        const { data, headers } = await send("GET", url, undefined, true);
        if (!Array.isArray(data)) {
          throw new ArkSyncError(
            "external",
            "github_unexpected_answer",
            `GitHub answered ${describeUrl(url)} with something other than a list`,
          );
        }
        items.push(...(data as T[]));
        url = nextPageUrl(headers.get("link"));
        // The token must never be sent anywhere but the API it was meant for.
        if (url !== null && new URL(url).origin !== apiOrigin) {
          throw new ArkSyncError(
            "external",
            "github_foreign_link",
            `GitHub's Link header points outside ${apiOrigin}; not following it`,
          );
        }
      }
      return items;
    },

    async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
      const { data } = await send("POST", options.graphqlUrl, { query, variables }, true);
      const answer = data as { data?: T; errors?: { message?: string }[] } | null;
      if (answer?.errors && answer.errors.length > 0) {
        const messages = answer.errors.map((error) => error.message ?? "unknown error").join("; ");
        throw new GitHubRequestError(
          200,
          "github_graphql_error",
          `GitHub's GraphQL API answered: ${clip(scrub(messages))}`,
          undefined,
        );
      }
      if (!answer?.data)
        throw new GitHubRequestError(
          200,
          "github_graphql_error",
          "GitHub's GraphQL API answered without data",
          undefined,
        );
      return answer.data;
    },

    issueLabels(owner, repo, issueNumber) {
      return this.paginate<GitHubLabel>(`${repoPath(owner, repo)}/issues/${issueNumber}/labels?per_page=100`);
    },

    async addIssueLabels(owner, repo, issueNumber, names) {
      // Adding a label twice changes nothing, so a failed POST may be repeated.
      const url = restUrl(`${repoPath(owner, repo)}/issues/${issueNumber}/labels`);
      await send("POST", url, { labels: names }, true);
    },

    async removeIssueLabel(owner, repo, issueNumber, name) {
      const url = restUrl(
        `${repoPath(owner, repo)}/issues/${issueNumber}/labels/${encodeURIComponent(name)}`,
      );
      await send("DELETE", url, undefined, true);
    },

    repositoryLabels(owner, repo) {
      return this.paginate<GitHubLabel>(`${repoPath(owner, repo)}/labels?per_page=100`);
    },

    async createLabel(owner, repo, label) {
      // A repeat after a lost answer gets 422 "already_exists", which callers take as success.
      await send("POST", restUrl(`${repoPath(owner, repo)}/labels`), label, true);
    },
  };
}

function repoPath(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

/** Rejects a token that could not be sent as a header, before fetch can quote it in an error. */
function checkToken(token: string): string {
  const trimmed = token.trim();
  if (trimmed === "" || !/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new ArkSyncError(
      "usage",
      "github_token_invalid",
      "GITHUB_TOKEN is empty or contains characters a token cannot have",
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression for the user to copy
        hint: "Set GITHUB_TOKEN to ${{ github.token }} or to a personal access token.",
      },
    );
  }
  return trimmed;
}

/** fetch's "fetch failed" with the reason underneath, e.g. ECONNREFUSED or a timeout. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `${error.message}: ${code}` : error.message;
}

function parseJson(text: string, what: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ArkSyncError(
      "external",
      "github_unexpected_answer",
      `GitHub answered ${what} with something other than JSON`,
      {
        hint: "Check GITHUB_API_URL: it should be the REST API's address, e.g. https://api.github.com.",
      },
    );
  }
}

function nextPageUrl(link: string | null): string | null {
  if (link === null) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1]) return match[1];
  }
  return null;
}

/** The URL's path without its query, for messages. */
function describeUrl(url: string): string {
  return new URL(url).pathname;
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)}s`;
}

function clip(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters from a server answer
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function describeFailure(
  status: number,
  what: string,
  bodyText: string,
  decision: RetryDecision | null,
  scrub: (text: string) => string,
): GitHubRequestError {
  const said = clip(scrub(githubMessage(bodyText)));
  const quoted = said === "" ? "" : `: ${said}`;
  if (decision !== null && decision.reason !== "server error") {
    return new GitHubRequestError(
      status,
      "github_rate_limited",
      `GitHub's rate limit stopped ${what} (${status}${quoted})`,
      `The limit resets in about ${Math.ceil(decision.delayMs / 60_000)} minute(s); run the job again then. Frequent runs share the GITHUB_TOKEN's limit of 1,000 requests per hour per repository.`,
    );
  }
  switch (status) {
    case 401:
      return new GitHubRequestError(
        status,
        "github_bad_credentials",
        `GitHub rejected the token for ${what} (401${quoted})`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression for the user to copy
        "GITHUB_TOKEN is wrong or expired. In a workflow, pass `GITHUB_TOKEN: ${{ github.token }}` in the step's env (or the action's github-token input).",
      );
    case 403:
      return new GitHubRequestError(
        status,
        "github_forbidden",
        `GitHub refused ${what} (403${quoted})`,
        "The token lacks permission to comment: give the job `permissions: pull-requests: write`. On pull requests from forks the token is read-only and cannot comment; skip the comment there.",
      );
    case 404:
      return new GitHubRequestError(
        status,
        "github_not_found",
        `GitHub found nothing at ${what} (404${quoted})`,
        "Check GITHUB_REPOSITORY (owner/name) and the pull request number. GitHub also answers 404 when the token cannot see a private repository.",
      );
    case 422:
      return new GitHubRequestError(
        status,
        "github_unprocessable",
        `GitHub rejected ${what} (422${quoted})`,
        undefined,
      );
    default:
      return new GitHubRequestError(
        status,
        "github_http_error",
        `GitHub answered ${status} to ${what}${quoted}`,
        status >= 500
          ? "GitHub may be having trouble; see https://www.githubstatus.com and run the job again."
          : undefined,
      );
  }
}

/** GitHub's `message`, with the details of `errors[]` (422 answers carry the reason there). */
function githubMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as { message?: unknown; errors?: unknown };
    const details = Array.isArray(body.errors)
      ? body.errors
          .map((error) => (typeof error === "string" ? error : (error as { message?: unknown })?.message))
          .filter((m): m is string => typeof m === "string")
      : [];
    return [typeof body.message === "string" ? body.message : "", ...details].filter(Boolean).join(": ");
  } catch {
    return bodyText;
  }
}
