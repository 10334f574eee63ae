// What a GitHub Actions job tells a step through its environment: the repository, the API's
// addresses, the pull request and the default branch (from the event payload) and the job summary file.
import { readFile } from "node:fs/promises";
import type { Environment } from "../core/environment.js";
import { ArkSyncError } from "../core/errors.js";

export interface GitHubContext {
  owner: string;
  repo: string;
  apiUrl: string;
  graphqlUrl: string;
  /** The pull request (or issue) to comment on; null when the event has none. */
  issueNumber: number | null;
  /** The event's pull request comes from another repository (a fork): its token is read-only. */
  fromFork: boolean;
  /** The repository's default branch (`repository.default_branch`); null when the event does not say. */
  defaultBranch: string | null;
  /** $GITHUB_STEP_SUMMARY, when set. */
  stepSummaryPath: string | null;
  /** The workflow run's page, when the job says which run it is. */
  runUrl: string | null;
  /** The pull request's head commit, which its plan is of (docs/github.md#applying-only-the-reviewed-plan). */
  headSha: string | null;
  /** On a push: every commit it pushed (the payload's `commits`), for telling merges that came together. */
  pushedCommits: string[] | null;
}

export type { Environment };

const DEFAULT_API_URL = "https://api.github.com";

/** Reads the context; `issueNumber` overrides the event's pull request (the --pr option). */
export async function readGitHubContext(env: Environment, issueNumber?: number): Promise<GitHubContext> {
  const repository = env.GITHUB_REPOSITORY ?? "";
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  const owner = match?.[1] ?? "";
  const repo = match?.[2] ?? "";
  const apiUrl = (env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, "");
  checkUrl(apiUrl, "GITHUB_API_URL");
  const graphqlUrl = env.GITHUB_GRAPHQL_URL || graphqlUrlFor(apiUrl);
  checkUrl(graphqlUrl, "GITHUB_GRAPHQL_URL");
  const event = await readEvent(env.GITHUB_EVENT_PATH);
  const serverUrl = (env.GITHUB_SERVER_URL ?? "").replace(/\/+$/, "");
  const runId = env.GITHUB_RUN_ID ?? "";
  return {
    owner,
    repo,
    apiUrl,
    graphqlUrl,
    issueNumber: issueNumber ?? event.number,
    fromFork: event.fromFork,
    headSha: event.headSha,
    pushedCommits: event.pushedCommits,
    defaultBranch: event.defaultBranch,
    stepSummaryPath: env.GITHUB_STEP_SUMMARY || null,
    runUrl:
      match && /^https?:\/\/[^\s<>()]+$/.test(serverUrl) && /^\d+$/.test(runId)
        ? `${serverUrl}/${repository}/actions/runs/${runId}`
        : null,
  };
}

/** The repository, or a usage error saying how to set it. */
export function requireRepository(context: GitHubContext): { owner: string; repo: string } {
  if (context.owner === "" || context.repo === "") {
    throw new ArkSyncError(
      "usage",
      "github_repository_missing",
      "GITHUB_REPOSITORY is not set to owner/name",
      {
        hint: "ark-sync comment runs in GitHub Actions, which sets GITHUB_REPOSITORY; elsewhere set it yourself.",
      },
    );
  }
  return { owner: context.owner, repo: context.repo };
}

/** github.com's GraphQL endpoint is /graphql beside the REST root; GitHub Enterprise Server's REST
 * root is /api/v3 and its GraphQL endpoint /api/graphql. */
function graphqlUrlFor(apiUrl: string): string {
  return apiUrl.endsWith("/api/v3") ? `${apiUrl.slice(0, -"/v3".length)}/graphql` : `${apiUrl}/graphql`;
}

function checkUrl(url: string, name: string): void {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (parsed === null || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new ArkSyncError("usage", "github_api_url_invalid", `${name} is not an http(s) URL`);
  }
}

interface EventFacts {
  number: number | null;
  fromFork: boolean;
  headSha: string | null;
  pushedCommits: string[] | null;
  defaultBranch: string | null;
}

const COMMIT_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** Whether `text` is a full commit id (SHA-1 or SHA-256). */
export function isCommitSha(text: unknown): text is string {
  return typeof text === "string" && COMMIT_SHA.test(text);
}

async function readEvent(path: string | undefined): Promise<EventFacts> {
  if (!path)
    return { number: null, fromFork: false, headSha: null, pushedCommits: null, defaultBranch: null };
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ArkSyncError(
      "input",
      "github_event_unreadable",
      `Could not read the event payload at GITHUB_EVENT_PATH`,
      { cause: error },
    );
  }
  const event = (payload ?? {}) as {
    pull_request?: {
      number?: unknown;
      head?: { sha?: unknown; repo?: { full_name?: unknown } | null };
      base?: { repo?: { full_name?: unknown } };
    };
    issue?: { number?: unknown };
    commits?: unknown;
    repository?: { default_branch?: unknown } | null;
  };
  const number = event.pull_request?.number ?? event.issue?.number;
  const head = event.pull_request?.head?.repo?.full_name;
  const headSha = event.pull_request?.head?.sha;
  const base = event.pull_request?.base?.repo?.full_name;
  const defaultBranch = event.repository?.default_branch;
  return {
    number: typeof number === "number" && Number.isSafeInteger(number) && number > 0 ? number : null,
    fromFork: typeof head === "string" && typeof base === "string" && head !== base,
    headSha: isCommitSha(headSha) ? headSha : null,
    pushedCommits: Array.isArray(event.commits)
      ? event.commits.map((commit) => (commit as { id?: unknown } | null)?.id).filter(isCommitSha)
      : null,
    defaultBranch: typeof defaultBranch === "string" && defaultBranch !== "" ? defaultBranch : null,
  };
}

/** What a command that talks to GitHub is given: the environment, a log line sink for stderr, and test
 * hooks for the HTTP client, its retry waits and its clock. */
export interface GitHubDependencies {
  env: Environment;
  /** Progress and notes for stderr. */
  log: (line: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}
