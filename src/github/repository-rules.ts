// What GitHub enforces on the branches a plan relies on (docs/github.md#recommended-rulesets): the
// active rules of the default branch and of each git state branch, from GET
// /repos/{owner}/{repo}/rules/branches/{branch} (every ruleset that targets the branch, the
// repository's and its organization's; any token that can read the repository may ask), and each
// branch's `protected` flag from GET /repos/{owner}/{repo}/branches/{branch}, which is all a
// `contents: read` token sees of classic branch protection. Nothing here throws: a branch whose rules
// cannot be read carries the reason instead, and the plan is posted all the same.
import type { GitHubClient } from "./client.js";

/** One active rule as GitHub lists it for a branch, e.g. `{type: "pull_request", parameters: {…}}`. */
export interface BranchRule {
  type: string;
  parameters?: Record<string, unknown> | null;
}

/** Why the branch matters to ark-sync: reviews are merged into the default branch; state is pushed to a state branch. */
export type BranchRole = "default" | "state";

export interface BranchRules {
  role: BranchRole;
  /** Null only for a default branch whose name could not be read. */
  branch: string | null;
  /** The branch's active rules, or why they could not be read. */
  rules: BranchRule[] | { error: string };
  /** GitHub's `protected` flag (classic branch protection or a ruleset); null when it could not be read, e.g. a state branch not created yet. */
  protected: boolean | null;
}

export interface RepositoryRules {
  defaultBranch: BranchRules;
  /** By branch name, each state branch once. */
  stateBranches: Map<string, BranchRules>;
}

export interface RepositoryRulesRequest {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** From the event payload; asked of GitHub (GET /repos/{owner}/{repo}) when null. */
  defaultBranch: string | null;
  stateBranches: Iterable<string>;
}

export async function readRepositoryRules(request: RepositoryRulesRequest): Promise<RepositoryRules> {
  const { client, owner, repo } = request;
  const base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  let defaultBranch: BranchRules;
  try {
    const name = request.defaultBranch ?? (await readDefaultBranch(client, base));
    defaultBranch = await readBranch(client, base, "default", name);
  } catch (error) {
    defaultBranch = { role: "default", branch: null, rules: { error: reasonOf(error) }, protected: null };
  }
  const stateBranches = new Map<string, BranchRules>();
  for (const branch of new Set(request.stateBranches)) {
    stateBranches.set(branch, await readBranch(client, base, "state", branch));
  }
  return { defaultBranch, stateBranches };
}

async function readDefaultBranch(client: GitHubClient, base: string): Promise<string> {
  const repository = await client.request<{ default_branch?: unknown } | null>("GET", base);
  const name = repository?.default_branch;
  if (typeof name !== "string" || name === "") {
    throw new Error(`GitHub's answer to GET ${base} names no default_branch`);
  }
  return name;
}

async function readBranch(
  client: GitHubClient,
  base: string,
  role: BranchRole,
  branch: string,
): Promise<BranchRules> {
  const name = encodeURIComponent(branch);
  let rules: BranchRule[];
  try {
    rules = await client.paginate<BranchRule>(`${base}/rules/branches/${name}?per_page=100`);
  } catch (error) {
    return { role, branch, rules: { error: reasonOf(error) }, protected: null };
  }
  let isProtected: boolean | null = null;
  try {
    const answer = await client.request<{ protected?: unknown } | null>("GET", `${base}/branches/${name}`);
    isProtected = typeof answer?.protected === "boolean" ? answer.protected : null;
  } catch {
    // A state branch that does not exist yet (404), or a token that may not read it: unknown.
  }
  return { role, branch, rules, protected: isProtected };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
