// Why `apply --require-reviewed` refused, in words (docs/github.md#applying-only-the-reviewed-plan):
// the same lines go to the log and onto the pull request, each piece of untrusted text (addresses)
// through the style's `code`.
import { renderSummaryLine } from "../render/text.js";
import type { PlanComparison } from "./compare-plan-records.js";
import type { PlanRecord } from "./plan-record.js";

export type Refusal =
  /** The pull request carries no plan for the directory that this ark-sync can read. */
  | { kind: "no_plan"; why: string }
  | { kind: "changed"; reviewed: PlanRecord; fresh: PlanRecord; comparison: PlanComparison };

export interface Style {
  /** An address or hash, as code. */
  code(text: string): string;
}

/** How to get a plan reviewed once its pull request is merged. */
export const NEW_REVIEW_STEPS = [
  "To apply these manifests, get their plan reviewed: open a new pull request (an empty commit will do: `git commit --allow-empty`), review the plan ark-sync posts on it, and merge it.",
  "Or re-run this pull request's plan job, review the updated plan in its comment, then re-run this apply job.",
];

export function refusalHeadline(refusal: Refusal): string {
  return refusal.kind === "no_plan"
    ? `no reviewed plan: ${refusal.why}`
    : "the plan has changed since it was reviewed";
}

/** What changed since review, one line each; `limit` bounds the per-address lines. */
export function describeChanges(refusal: Refusal, style: Style, limit = Infinity): string[] {
  if (refusal.kind === "no_plan") return [];
  const { reviewed, fresh, comparison } = refusal;
  const lines = [
    `Reviewed: ${style.code(short(reviewed.hash))} ${renderSummaryLine(reviewed.summary)}`,
    `Now:      ${style.code(short(fresh.hash))} ${renderSummaryLine(fresh.summary)}`,
  ];
  if (comparison.version) {
    lines.push(
      `ark-sync ${comparison.version.reviewed} made the reviewed plan and ${comparison.version.fresh} this one: a new version may compute the same plan differently.`,
    );
  }
  if (comparison.state) {
    lines.push(
      `The state was written since review (${comparison.state.reviewed} → ${comparison.state.fresh}): another apply, import or state command.`,
    );
  }
  const perAddress = [
    ...(comparison.actions ?? []).map(
      (a) => `${style.code(a.address)}: ${actionName(a.reviewed)} → ${actionName(a.fresh)}`,
    ),
    ...comparison.values.map((address) => `${style.code(address)}: the same action, with other values`),
  ];
  lines.push(...perAddress.slice(0, limit));
  if (perAddress.length > limit) {
    lines.push(`…and ${perAddress.length - limit} more (the apply job's log lists them all).`);
  }
  if (comparison.actions === null) {
    lines.push(
      "The reviewed plan was too large for its comment to list each endpoint; compare the summaries.",
    );
  }
  if (comparison.unchanged) {
    lines.push("Endpoints the plan leaves alone have other values now (a console change, or another apply).");
  }
  if (comparison.drift) lines.push("What changed outside ark-sync is not what the reviewed plan reported.");
  return lines;
}

function actionName(actions: string): string {
  switch (actions) {
    case "":
      return "no change";
    case "create":
      return "create";
    case "update":
      return "update in place";
    case "delete":
      return "destroy";
    case "delete,create":
      return "replace (destroy, then create)";
    case "create,delete":
      return "replace (create, then destroy)";
    default:
      return actions;
  }
}

function short(hash: string): string {
  return hash.slice(0, 19);
}
