// `apply DIR --require-reviewed` and `apply DIR --plan-hash H` (docs/github.md#applying-only-the-reviewed-plan):
// before the state lock, find the plan reviewed on the pushed commit's pull request and refuse unless
// it can be trusted (github/reviewed-plan.ts); under the lock, let through only a fresh
// plan with the same hash that renders into exactly the comment the reviewers read; afterwards, put
// the outcome on the pull request. `--plan-hash` is the manual path: a fresh plan with the given hash,
// approved by the environment's reviewers. Every refusal is said in the log, in the job summary (with
// the fresh plan and its hash when there is one) and on the pull request; nothing is sent to Ark.
import type { ApplyResult, ResourceOutcome } from "../apply/apply-plan.js";
import { isComplete, renderApplyComplete } from "../apply/render-result.js";
import { ArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import { type ApplyOutcome, publishApplyResult, renderApplyResult } from "../github/apply-result.js";
import { checkVisiblePlan } from "../github/comment-body.js";
import { comparePlanRecords } from "../github/compare-plan-records.js";
import { planRecordOf } from "../github/plan-record.js";
import { planHashLine } from "../github/publish-plan.js";
import { describeRefusal, type Refusal, refusalHeadline, wayForward } from "../github/review-refusal.js";
import { findReviewedPlan } from "../github/reviewed-plan.js";
import { appendStepSummary, remainingSummaryBytes } from "../github/step-summary.js";
import { sanitizeLines, sanitizeText } from "../render/format-value.js";
import { renderPlanMarkdown } from "../render/markdown.js";
import type { AppContext } from "./context.js";

export interface ReviewGate {
  /**
   * Throws, after saying why, unless `plan` is the reviewed (or named) plan; or answers
   * "already_applied" for a job run again on a commit whose apply the pull request reports complete
   * and that has nothing left to do.
   */
  check(plan: Plan): Promise<"apply" | "already_applied">;
  /** Puts the outcome on the pull request; failing to is only logged. */
  report(outcome: ApplyOutcome): Promise<void>;
}

export interface ReviewGateOptions {
  directory: string;
  author: string | undefined;
  requireApproval: boolean;
}

export async function openReviewGate(options: ReviewGateOptions, ctx: AppContext): Promise<ReviewGate> {
  const { directory } = options;
  const log = (line: string) => ctx.io.err(`${sanitizeLines(line)}\n`);
  const reviewed = await findReviewedPlan(
    directory,
    options.author,
    { approval: options.requireApproval },
    { env: ctx.env, log, fetch: ctx.fetch, sleep: ctx.sleep, now: () => ctx.clock.date().getTime() },
  );
  const pr = `pull request #${reviewed.pullRequest.number}`;
  const report = async (outcome: ApplyOutcome, forward: string[] = []) => {
    const block = renderApplyResult(outcome, {
      directory,
      commit: reviewed.commit,
      runUrl: reviewed.runUrl,
      wayForward: forward,
    });
    try {
      log(`The outcome is on ${pr}: ${await publishApplyResult(reviewed.target, block)}`);
    } catch (error) {
      log(`Could not put the outcome on ${pr}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const refuse = async (refusal: Refusal, fresh: Plan | null): Promise<never> => {
    const forward = wayForward(refusal, {
      directory,
      runUrl: reviewed.runUrl,
      freshHash: fresh?.plan_hash ?? null,
    });
    const lines = describeRefusal(refusal, { code: sanitizeText });
    if (lines.length > 0) log(lines.map((line) => `  ${line}`).join("\n"));
    await writeRefusalSummary(reviewed.stepSummaryPath, refusal, fresh, directory, forward, log);
    await report({ kind: "refused", refusal }, forward);
    throw new ArkSyncError(
      "input",
      `review_${refusal.kind}`,
      `Not applied: ${refusalHeadline(refusal)} (${pr}). Nothing was sent to Ark.`,
      { hint: forward.join(" ") },
    );
  };
  const verdict = reviewed.verdict;
  if (verdict.kind === "refused") return refuse(verdict.refusal, null);
  const { record, body } = verdict;
  log(`Applying only the plan reviewed on ${pr} (${record.hash.slice(0, 19)}).`);
  return {
    async check(plan) {
      if (plan.plan_hash !== record.hash) {
        // The state moved on because this commit's reviewed plan was applied: a re-run has nothing to do.
        if (reviewed.appliedCommit === reviewed.commit && !hasChanges(plan)) {
          log(`This commit's reviewed plan was already applied (see ${pr}), and nothing is left to do.`);
          return "already_applied";
        }
        const fresh = planRecordOf(plan, record);
        return refuse(
          { kind: "changed", reviewed: record, fresh, comparison: comparePlanRecords(record, fresh) },
          plan,
        );
      }
      const shown = checkVisiblePlan(body, plan, directory, record);
      if (!shown.same) return refuse({ kind: "shown_differs", ...shown }, plan);
      log(`The plan is the one reviewed on ${pr}, and its comment shows exactly this plan.`);
      return "apply";
    },
    report: (outcome) => report(outcome),
  };
}

/** `apply DIR --plan-hash H`: only a fresh plan whose hash is H; the plan goes into the job summary. */
export function openHashGate(directory: string, hash: string, ctx: AppContext): ReviewGate {
  const log = (line: string) => ctx.io.err(`${sanitizeLines(line)}\n`);
  const summaryPath = ctx.env.GITHUB_STEP_SUMMARY || null;
  return {
    async check(plan) {
      await writePlanSummary(summaryPath, plan, directory, log);
      if (plan.plan_hash === hash) {
        log(`The plan's hash is ${hash}, as given.`);
        return "apply";
      }
      throw new ArkSyncError(
        "input",
        "plan_hash_mismatch",
        `Not applied: the plan's hash is ${plan.plan_hash}, not ${hash}. Nothing was sent to Ark.`,
        {
          hint: "The plan changed since that hash was taken (it is above, and in the job summary). Review it, then run again with --plan-hash set to its hash.",
        },
      );
    },
    async report() {},
  };
}

/** Whether `text` is a whole plan hash, as `plan --json` prints it. */
export function isPlanHash(text: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(text);
}

async function writeRefusalSummary(
  path: string | null,
  refusal: Refusal,
  fresh: Plan | null,
  directory: string,
  forward: string[],
  log: (line: string) => void,
): Promise<void> {
  if (path === null) return;
  const text = [
    `## ark-sync apply ${directory}: not applied`,
    "",
    `${sanitizeText(refusalHeadline(refusal))}. Nothing was sent to Ark.`,
    "",
    ...forward,
  ].join("\n");
  await appendStepSummary(path, `${text}\n`).catch((error: unknown) => {
    log(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (fresh) await writePlanSummary(path, fresh, directory, log);
}

async function writePlanSummary(
  path: string | null,
  plan: Plan,
  directory: string,
  log: (line: string) => void,
): Promise<void> {
  if (path === null) return;
  const room = (await remainingSummaryBytes(path)) - 1024;
  if (room < 4096) {
    log("The job summary is full, so the plan is not in it; the log above has it.");
    return;
  }
  const markdown = renderPlanMarkdown(plan, {
    directory,
    maxLength: room,
    unit: "utf8",
    fullPlanHint: "`ark-sync plan` in the log",
  });
  await appendStepSummary(path, `${markdown}\n\n${planHashLine(plan.plan_hash)}\n`).catch(
    (error: unknown) => {
      log(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
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
