// evaluateBranch, table-driven: which safeguards a branch's active rules leave out (rules shaped as
// GitHub's GET /repos/{owner}/{repo}/rules/branches/{branch} lists them), and what the token could
// tell of classic branch protection.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type BranchFinding, evaluateBranch } from "../../src/github/branch-safeguards.js";
import type { BranchRole, BranchRule } from "../../src/github/repository-rules.js";

const pullRequest = (count: unknown, dismiss: unknown): BranchRule => ({
  type: "pull_request",
  parameters: {
    required_approving_review_count: count,
    dismiss_stale_reviews_on_push: dismiss,
    require_code_owner_review: false,
    require_last_push_approval: true,
    required_review_thread_resolution: false,
  },
});
const nonFastForward: BranchRule = { type: "non_fast_forward" };
const deletion: BranchRule = { type: "deletion" };
const update: BranchRule = { type: "update", parameters: { update_allows_fetch_and_merge: false } };

const cases: {
  name: string;
  role: BranchRole;
  rules: unknown[];
  protected?: boolean | null;
  expect: Omit<Extract<BranchFinding, { missing: unknown }>, "role" | "branch">;
}[] = [
  {
    name: "default branch without rules, GitHub says unprotected",
    role: "default",
    rules: [],
    protected: false,
    expect: { missing: ["approving_review", "stale_review_dismissal"], classic: "none" },
  },
  {
    name: "default branch with one approval and stale dismissal",
    role: "default",
    rules: [pullRequest(1, true), { type: "required_status_checks", parameters: {} }],
    protected: true,
    expect: { missing: [], classic: "unknown" },
  },
  {
    name: "a pull request rule asking for no approval",
    role: "default",
    rules: [pullRequest(0, true)],
    expect: { missing: ["approving_review"], classic: "unknown" },
  },
  {
    name: "approvals that survive a push",
    role: "default",
    rules: [pullRequest(2, false)],
    expect: { missing: ["stale_review_dismissal"], classic: "unknown" },
  },
  {
    name: "two rulesets add up: the strictest of each parameter counts",
    role: "default",
    rules: [pullRequest(0, true), pullRequest(1, false)],
    expect: { missing: [], classic: "unknown" },
  },
  {
    name: "a pull request rule without parameters gives nothing",
    role: "default",
    rules: [{ type: "pull_request" }],
    expect: { missing: ["approving_review", "stale_review_dismissal"], classic: "unknown" },
  },
  {
    name: "protected, but no ruleset applies: classic protection",
    role: "default",
    rules: [],
    protected: true,
    expect: { missing: ["approving_review", "stale_review_dismissal"], classic: "present" },
  },
  {
    name: "protected flag unknown (a branch not created yet)",
    role: "state",
    rules: [],
    protected: null,
    expect: { missing: ["force_push_block", "deletion_block", "update_restriction"], classic: "unknown" },
  },
  {
    name: "state branch blocked from force pushes and deletion, open to pushes",
    role: "state",
    rules: [nonFastForward, deletion],
    protected: true,
    expect: { missing: ["update_restriction"], classic: "unknown" },
  },
  {
    name: "state branch fully protected",
    role: "state",
    rules: [deletion, update, nonFastForward],
    protected: true,
    expect: { missing: [], classic: "unknown" },
  },
  {
    name: "a state branch's rules say nothing of reviews, and a default branch's pushes nothing",
    role: "state",
    rules: [pullRequest(1, true)],
    protected: false,
    expect: { missing: ["force_push_block", "deletion_block", "update_restriction"], classic: "none" },
  },
  {
    name: "malformed items give nothing and do not throw",
    role: "state",
    rules: [null, "deletion", { type: 7 }, { type: "non_fast_forward", parameters: "x" }, { parameters: {} }],
    expect: { missing: ["force_push_block", "deletion_block", "update_restriction"], classic: "unknown" },
  },
];

test("the safeguards each branch's rules leave out", () => {
  for (const { name, role, rules, expect, ...rest } of cases) {
    const finding = evaluateBranch({
      role,
      branch: "b",
      rules: rules as BranchRule[],
      protected: rest.protected ?? null,
    });
    assert.equal(finding, { role, branch: "b", ...expect }, name);
  }
});

test("rules that could not be read are carried as the reason", () => {
  assert.equal(
    evaluateBranch({ role: "default", branch: null, rules: { error: "GitHub refused it" }, protected: null }),
    { role: "default", branch: null, error: "GitHub refused it" },
  );
});

test.run();
