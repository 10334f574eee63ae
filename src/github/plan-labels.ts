// The pull request's labels, kept in step with its plan (docs/github.md#labels): exactly one of
// `ark-sync:changes` and `ark-sync:no-changes`, plus `ark-sync:destroy` while the plan destroys or
// replaces an endpoint. Only these three labels are ever added or removed; one missing from the
// repository is created first, with its colour and description (tfcmt's labels, after which these go).
import { hasAction } from "../core/compute-plan.js";
import type { Plan } from "../core/types.js";
import { type GitHubClient, type GitHubLabel, GitHubRequestError } from "./client.js";
import { type GitHubContext, requireRepository } from "./github-context.js";

export const PLAN_LABELS = {
  changes: {
    name: "ark-sync:changes",
    color: "1d76db",
    description: "ark-sync: the plan creates, updates or moves endpoints",
  },
  noChanges: {
    name: "ark-sync:no-changes",
    color: "0e8a16",
    description: "ark-sync: the plan changes nothing",
  },
  destroy: {
    name: "ark-sync:destroy",
    color: "d93f0b",
    description: "ark-sync: the plan destroys or replaces endpoints",
  },
} as const satisfies Record<string, Required<GitHubLabel>>;

const ALL_LABELS = Object.values(PLAN_LABELS);

/**
 * The labels plans call for, those of one pull request's directories together. "Changes" as the
 * comment's summary line counts them: moves too.
 */
export function planLabels(plans: readonly Plan[]): Required<GitHubLabel>[] {
  const changes = plans.some((plan) =>
    plan.resource_changes.some(
      (rc) => !hasAction(rc.change.actions, "no-op") || rc.previous_address !== undefined,
    ),
  );
  // A replacement's action list holds "delete" too.
  const destroys = plans.some((plan) =>
    plan.resource_changes.some((rc) => hasAction(rc.change.actions, "delete")),
  );
  return labelsFor(changes, destroys);
}

export function labelsFor(changes: boolean, destroys: boolean): Required<GitHubLabel>[] {
  return [changes ? PLAN_LABELS.changes : PLAN_LABELS.noChanges, ...(destroys ? [PLAN_LABELS.destroy] : [])];
}

export interface PlanLabelsRequest {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  /** What planLabels or labelsFor gives. */
  wanted: Required<GitHubLabel>[];
}

export interface PlanLabelsResult {
  added: string[];
  removed: string[];
  /** Labels created in the repository because it had none of that name. */
  created: string[];
}

/** Adds the wanted labels, then removes the other ark-sync labels the pull request has. */
export async function syncPlanLabels(request: PlanLabelsRequest): Promise<PlanLabelsResult> {
  const { client, owner, repo, issueNumber, wanted } = request;
  const current = await client.issueLabels(owner, repo, issueNumber);
  // GitHub's label names are case-insensitive.
  const has = (name: string) => current.find((label) => sameName(label.name, name));
  const missing = wanted.filter((label) => !has(label.name));
  const stale = ALL_LABELS.filter((label) => !wanted.some((want) => want.name === label.name))
    .map((label) => has(label.name)?.name)
    .filter((name): name is string => name !== undefined);

  const created = missing.length === 0 ? [] : await createMissing(client, owner, repo, missing);
  if (missing.length > 0) {
    await client.addIssueLabels(
      owner,
      repo,
      issueNumber,
      missing.map((label) => label.name),
    );
  }
  for (const name of stale) {
    try {
      await client.removeIssueLabel(owner, repo, issueNumber, name);
    } catch (error) {
      // Someone removed it meanwhile.
      if (!(error instanceof GitHubRequestError && error.status === 404)) throw error;
    }
  }
  return { added: missing.map((label) => label.name), removed: stale, created };
}

/** The labels follow the comment and never cost it: a failure is a warning (docs/github.md#labels). */
export async function labelPullRequest(
  client: GitHubClient,
  wanted: Required<GitHubLabel>[],
  context: GitHubContext,
  issueNumber: number,
  log: (line: string) => void,
): Promise<void> {
  const { owner, repo } = requireRepository(context);
  try {
    const result = await syncPlanLabels({ client, owner, repo, issueNumber, wanted });
    const changes = [
      result.added.length > 0 ? `added ${result.added.join(", ")}` : "",
      result.removed.length > 0 ? `removed ${result.removed.join(", ")}` : "",
      result.created.length > 0 ? `created ${result.created.join(", ")} in ${owner}/${repo}` : "",
    ].filter(Boolean);
    if (changes.length > 0) log(`Labels on #${issueNumber}: ${changes.join("; ")}.`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(
      `Warning: the pull request's labels were not updated (${reason}); the comment is posted. ` +
        "Labels need the token permission `issues: write` or `pull-requests: write`; turn them off with --no-labels (the Action's `labels: false`).",
    );
  }
}

/** Creates the labels the repository lacks; returns their names. */
async function createMissing(
  client: GitHubClient,
  owner: string,
  repo: string,
  labels: Required<GitHubLabel>[],
): Promise<string[]> {
  const defined = await client.repositoryLabels(owner, repo);
  const created: string[] = [];
  for (const label of labels) {
    if (defined.some((existing) => sameName(existing.name, label.name))) continue;
    try {
      await client.createLabel(owner, repo, label);
      created.push(label.name);
    } catch (error) {
      // 422 "already_exists": another run created it since the list was read.
      if (!(error instanceof GitHubRequestError && error.status === 422)) throw error;
    }
  }
  return created;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
