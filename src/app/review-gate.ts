// `apply DIR --require-reviewed` (docs/github.md#applying-only-the-reviewed-plan): before the state
// lock, find the plan reviewed on the pushed commit's pull request; under the lock, let only a fresh
// plan with the same hash through; afterwards, put the outcome on the pull request. Every refusal is
// said in the log and on the pull request, and nothing is sent to Ark.
import type { ApplyResult, ResourceOutcome } from "../apply/apply-plan.js";
import { isComplete, renderApplyComplete } from "../apply/render-result.js";
import { ArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import { type ApplyOutcome, publishApplyResult, renderApplyResult } from "../github/apply-result.js";
import { comparePlanRecords } from "../github/compare-plan-records.js";
import { planRecordOf } from "../github/plan-record.js";
import { describeChanges, NEW_REVIEW_STEPS, type Refusal } from "../github/review-refusal.js";
import { findReviewedPlan } from "../github/reviewed-plan.js";
import { sanitizeText } from "../render/format-value.js";
import type { AppContext } from "./context.js";

export interface ReviewGate {
  /**
   * Throws, after saying why on the pull request, unless `plan` is the reviewed plan; or answers
   * "already_applied" for a job run again on a commit whose apply the pull request reports complete
   * and that has nothing left to do.
   */
  check(plan: Plan): Promise<"apply" | "already_applied">;
  /** Puts the outcome on the pull request; failing to is only logged. */
  report(outcome: ApplyOutcome): Promise<void>;
}

export async function openReviewGate(
  directory: string,
  author: string | undefined,
  ctx: AppContext,
): Promise<ReviewGate> {
  const log = (line: string) => ctx.io.err(`${line}\n`);
  const reviewed = await findReviewedPlan(directory, author, {
    env: ctx.env,
    log,
    fetch: ctx.fetch,
    sleep: ctx.sleep,
    now: () => ctx.clock.date().getTime(),
  });
  const pr = `pull request #${reviewed.pullRequest.number}`;
  const report = async (outcome: ApplyOutcome) => {
    const block = renderApplyResult(outcome, { directory, commit: reviewed.commit, runUrl: reviewed.runUrl });
    try {
      log(`The outcome is on ${pr}: ${await publishApplyResult(reviewed.target, block)}`);
    } catch (error) {
      log(`Could not put the outcome on ${pr}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const refuse = async (refusal: Refusal, error: ArkSyncError): Promise<never> => {
    const lines = describeChanges(refusal, { code: sanitizeText });
    if (lines.length > 0) log(["What changed since review:", ...lines.map((l) => `  ${l}`)].join("\n"));
    await report({ kind: "refused", refusal });
    throw error;
  };
  const record = reviewed.record;
  if (record === null) {
    return refuse(
      { kind: "no_plan", why: reviewed.missing },
      new ArkSyncError(
        "input",
        "review_no_plan",
        `Not applied: ${reviewed.missing}. Nothing was sent to Ark.`,
        {
          hint: NEW_REVIEW_STEPS.join(" "),
        },
      ),
    );
  }
  log(`Applying only the plan reviewed on ${pr} (${record.hash.slice(0, 19)}).`);
  return {
    async check(plan) {
      if (plan.plan_hash === record.hash) {
        log(`The plan is the one reviewed on ${pr}.`);
        return "apply";
      }
      // The state moved on because this commit's reviewed plan was applied: a re-run has nothing to do.
      if (reviewed.appliedCommit === reviewed.commit && !hasChanges(plan)) {
        log(`This commit's reviewed plan was already applied (see ${pr}), and nothing is left to do.`);
        return "already_applied";
      }
      const fresh = planRecordOf(plan);
      return refuse(
        { kind: "changed", reviewed: record, fresh, comparison: comparePlanRecords(record, fresh) },
        new ArkSyncError(
          "input",
          "review_plan_changed",
          `Not applied: the plan has changed since it was reviewed on ${pr}. Nothing was sent to Ark.`,
          { hint: NEW_REVIEW_STEPS.join(" ") },
        ),
      );
    },
    report,
  };
}

function hasChanges(plan: Plan): boolean {
  const { add, change, destroy } = plan.summary;
  return add + change + destroy > 0 || plan.resource_changes.some((rc) => rc.previous_address !== undefined);
}

/** What an apply that ran did, for the pull request; `state` says what the state holds. */
export function applyOutcome(result: ApplyResult, stateFailure: Error | null, state: string): ApplyOutcome {
  if (isComplete(result) && !stateFailure)
    return { kind: "applied", line: renderApplyComplete(result.totals) };
  const by = (status: ResourceOutcome["status"]) => result.outcomes.filter((o) => o.status === status);
  const counts = (["failed", "unknown", "interrupted", "not_started"] as const)
    .map((status) => [by(status).length, status.replace("_", " ")] as const)
    .filter(([count]) => count > 0)
    .map(([count, status]) => `${count} ${status}`);
  const problems = [...by("failed"), ...by("unknown"), ...by("interrupted")].map((outcome) => ({
    address: outcome.address,
    message: `${outcome.operation} ${outcome.status}${outcome.error ? `: ${outcome.error.message}` : ""}`,
  }));
  const { added, changed, destroyed } = result.totals;
  return {
    kind: "incomplete",
    headline:
      counts.length > 0
        ? `${counts.join(", ")}.`
        : `the state could not be written: ${stateFailure?.message}`,
    problems,
    notStarted: by("not_started").map((outcome) => outcome.address),
    state,
    totals: `Changed on Ark in all: ${added} added, ${changed} changed, ${destroyed} destroyed.`,
  };
}
