// Whether a pull request's plan was approved after reviewers could read it
// (docs/github.md#applying-only-the-reviewed-plan): an APPROVED review, by someone other than the
// author and not a bot, submitted after the plan comment last changed, and not since withdrawn by
// the same reviewer (changes requested, or the approval dismissed).
import type { Review } from "./pull-request.js";

export type ApprovalCheck = { approved: true; by: string[] } | { approved: false; why: string };

/** Review states that replace a reviewer's earlier verdict; COMMENTED and PENDING do not. */
const VERDICTS = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

export function checkApproval(
  reviews: readonly Review[],
  author: string,
  planShownAt: string,
): ApprovalCheck {
  const latest = new Map<string, Review>();
  for (const review of reviews) {
    if (!VERDICTS.has(review.state) || review.submittedAt === null) continue;
    const key = review.login.toLowerCase();
    const earlier = latest.get(key);
    if (!earlier || Date.parse(review.submittedAt) >= Date.parse(earlier.submittedAt ?? "")) {
      latest.set(key, review);
    }
  }
  const approvals = [...latest.values()].filter(
    (review) =>
      review.state === "APPROVED" && !review.isBot && review.login.toLowerCase() !== author.toLowerCase(),
  );
  const shown = Date.parse(planShownAt);
  const after = approvals.filter((review) => Date.parse(review.submittedAt ?? "") > shown);
  if (after.length > 0) return { approved: true, by: after.map((review) => review.login) };
  if (approvals.length > 0) {
    return {
      approved: false,
      why: `the approvals (${approvals.map((r) => r.login).join(", ")}) are older than the plan comment's last update (${planShownAt})`,
    };
  }
  return { approved: false, why: "no one but its author approved the pull request" };
}
