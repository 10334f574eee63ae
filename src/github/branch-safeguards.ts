// Which safeguards ark-sync relies on a branch's rules for, and which of them its active rules leave
// out (docs/github.md#recommended-rulesets). Pure: the rules come from repository-rules.ts.
//
// The default branch: a merge needs an approving review (`pull_request` rule with
// `required_approving_review_count` ≥ 1), and a push to the pull request dismisses earlier approvals
// (`dismiss_stale_reviews_on_push`), so an approval is always of the plan the comment shows now.
// A state branch: no force push (`non_fast_forward`), no deletion (`deletion`), and no push but the
// apply job's (`update`, which only the ruleset's bypass actors may do). Rules from several rulesets
// add up, the strictest winning, so one rule that gives a safeguard is enough.
import type { BranchRole, BranchRule, BranchRules } from "./repository-rules.js";

export type Safeguard =
  | "approving_review"
  | "stale_review_dismissal"
  | "force_push_block"
  | "deletion_block"
  | "update_restriction";

/** What each kind of branch needs, in the order the warning names them. */
const SAFEGUARDS: Record<BranchRole, readonly Safeguard[]> = {
  default: ["approving_review", "stale_review_dismissal"],
  state: ["force_push_block", "deletion_block", "update_restriction"],
};

/**
 * What a `contents: read` token can tell of classic branch protection, which the rules endpoint does
 * not list: `none` when GitHub says the branch is not protected at all, `present` when it is protected
 * though no ruleset applies (so classic protection does it), `unknown` otherwise.
 */
export type ClassicProtection = "none" | "present" | "unknown";

export type BranchFinding =
  | { role: BranchRole; branch: string | null; missing: Safeguard[]; classic: ClassicProtection }
  | { role: BranchRole; branch: string | null; error: string };

export function evaluateBranch(branch: BranchRules): BranchFinding {
  const { role } = branch;
  if (!Array.isArray(branch.rules)) return { role, branch: branch.branch, error: branch.rules.error };
  const rules = branch.rules.filter(isRule);
  return {
    role,
    branch: branch.branch,
    missing: SAFEGUARDS[role].filter((safeguard) => !rules.some((rule) => gives(rule, safeguard))),
    classic:
      branch.protected === false ? "none" : branch.protected && rules.length === 0 ? "present" : "unknown",
  };
}

function gives(rule: BranchRule, safeguard: Safeguard): boolean {
  switch (safeguard) {
    case "approving_review": {
      const count = rule.parameters?.required_approving_review_count;
      return rule.type === "pull_request" && typeof count === "number" && count >= 1;
    }
    case "stale_review_dismissal":
      return rule.type === "pull_request" && rule.parameters?.dismiss_stale_reviews_on_push === true;
    case "force_push_block":
      return rule.type === "non_fast_forward";
    case "deletion_block":
      return rule.type === "deletion";
    case "update_restriction":
      return rule.type === "update";
  }
}

/** GitHub's answer is not trusted to be well formed: an item without a string `type` gives nothing. */
function isRule(value: unknown): value is BranchRule {
  if (typeof value !== "object" || value === null) return false;
  const { type, parameters } = value as { type?: unknown; parameters?: unknown };
  return (
    typeof type === "string" &&
    (parameters === undefined || parameters === null || typeof parameters === "object")
  );
}

const ROLES: readonly BranchRole[] = ["default", "state"];
const CLASSIC: readonly ClassicProtection[] = ["none", "present", "unknown"];
const ALL_SAFEGUARDS = new Set<string>([...SAFEGUARDS.default, ...SAFEGUARDS.state]);

/** A finding read back from a plan record (plan-record.ts), or null when it is not one. */
export function readBranchFinding(value: unknown): BranchFinding | null {
  if (typeof value !== "object" || value === null) return null;
  const { role, branch, missing, classic, error } = value as Record<string, unknown>;
  if (!ROLES.includes(role as BranchRole) || !(branch === null || typeof branch === "string")) return null;
  const where = { role: role as BranchRole, branch: branch as string | null };
  if (typeof error === "string") return { ...where, error };
  if (!Array.isArray(missing) || !missing.every((s) => typeof s === "string" && ALL_SAFEGUARDS.has(s))) {
    return null;
  }
  if (!CLASSIC.includes(classic as ClassicProtection)) return null;
  return { ...where, missing: missing as Safeguard[], classic: classic as ClassicProtection };
}
