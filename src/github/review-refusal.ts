// Why `apply --require-reviewed` refused, in words, and the way forward
// (docs/github.md#applying-only-the-reviewed-plan): the same lines go to the log and onto the pull
// request, each piece of untrusted text (addresses, logins, comment lines) through the style's `code`.
import { renderSummaryLine } from "../render/text.js";
import type { PlanComparison } from "./compare-plan-records.js";
import type { PlanRecord } from "./plan-record.js";

export type Refusal =
  /** The pull request carries no plan for the directory that this ark-sync can read. */
  | { kind: "no_plan"; why: string }
  /** GitHub could not tell what reviewers saw: fail closed. `call` names what could not be read. */
  | { kind: "unreadable"; call: string; message: string }
  /** Someone other than ark-sync's identity edited the plan comment. */
  | { kind: "edited"; editors: { login: string; at: string | null }[] }
  /** More than one visible comment claims to be the directory's plan. */
  | { kind: "several"; count: number }
  /** The comment's text is not what the plan renders into: not what this plan would have shown. */
  | { kind: "shown_differs"; line: number; shown: string; fresh: string }
  /** Another ark-sync rendered the comment: this one cannot check its text. */
  | { kind: "version"; reviewed: string; current: string }
  /** The pull request was merged from a head other than the one planned. */
  | { kind: "other_head"; planned: string | null; merged: string }
  | { kind: "not_approved"; why: string }
  /** The push merged several pull requests at once: no one plan was reviewed for all of it. */
  | { kind: "batch"; numbers: number[] }
  | { kind: "changed"; reviewed: PlanRecord; fresh: PlanRecord; comparison: PlanComparison };

export interface Style {
  /** An address, login or hash, as code. */
  code(text: string): string;
}

export interface WayForwardFacts {
  directory: string;
  /** This run's page, whose job summary shows the fresh plan when there is one. */
  runUrl: string | null;
  /** The fresh plan's hash, when this run planned before refusing. */
  freshHash: string | null;
}

export function refusalHeadline(refusal: Refusal): string {
  switch (refusal.kind) {
    case "no_plan":
      return `no reviewed plan: ${refusal.why}`;
    case "unreadable":
      return `GitHub could not be asked what was reviewed (${refusal.call})`;
    case "edited":
      return "the plan comment was edited by someone other than ark-sync";
    case "several":
      return `${refusal.count} visible comments claim to be the plan`;
    case "shown_differs":
      return "the plan comment does not show what this plan would";
    case "version":
      return `the plan comment was rendered by ark-sync ${refusal.reviewed}, and this is ${refusal.current}`;
    case "other_head":
      return "the pull request was merged from a commit that was not planned";
    case "not_approved":
      return `the plan was not approved: ${refusal.why}`;
    case "batch":
      return `this push merged ${refusal.numbers.length} pull requests at once`;
    case "changed":
      return "the plan has changed since it was reviewed";
  }
}

/** What is wrong, one line each; `limit` bounds the per-address lines. */
export function describeRefusal(refusal: Refusal, style: Style, limit = Infinity): string[] {
  switch (refusal.kind) {
    case "no_plan":
      return [];
    case "unreadable":
      return [
        refusal.message,
        "Without it ark-sync cannot tell what the reviewers read, so it applies nothing.",
      ];
    case "edited":
      return refusal.editors.map(
        (editor) => `Edited by ${style.code(editor.login)}${editor.at ? ` at ${editor.at}` : ""}.`,
      );
    case "several":
      return ["Minimize the comments ark-sync did not post, or re-run the plan, so one plan is shown."];
    case "shown_differs":
      return [
        `Line ${refusal.line} shows ${style.code(clip(refusal.shown))}; this plan renders ${style.code(clip(refusal.fresh))}.`,
      ];
    case "version":
      return [
        "A different version may render the same plan differently, so what the reviewers read cannot be checked.",
      ];
    case "other_head":
      return [
        `Planned: ${refusal.planned ? style.code(refusal.planned.slice(0, 12)) : "no head commit recorded"}; merged: ${style.code(refusal.merged.slice(0, 12))} (pushed after the last plan).`,
      ];
    case "not_approved":
      return [];
    case "batch":
      return [
        `Merged together: ${refusal.numbers.map((n) => `#${n}`).join(", ")}. Each reviewed plan was of one pull request alone.`,
      ];
    case "changed":
      return describeChanges(refusal, style, limit);
  }
}

/** How to get the manifests applied after a refusal: steps that work with the shipped templates. */
export function wayForward(refusal: Refusal, facts: WayForwardFacts): string[] {
  const byHand = facts.freshHash
    ? `To apply the plan as it is now: review it in ${facts.runUrl ? `[this run's job summary](${facts.runUrl})` : "this run's job summary"}, then run the apply workflow by hand (Actions → ark-sync apply → Run workflow) with \`directory\` ${facts.directory} and \`plan_hash\` ${facts.freshHash}; the environment's reviewers approve that run, and it applies only a plan with that hash.`
    : `To apply the plan as it is now: run the apply workflow by hand (Actions → ark-sync apply → Run workflow) with \`directory\` ${facts.directory} and no \`plan_hash\`: it plans, applies nothing and shows the plan and its hash in its job summary. Review that, then run it again with that \`plan_hash\`; the environment's reviewers approve the run, and it applies only a plan with that hash.`;
  switch (refusal.kind) {
    case "not_approved":
      return [
        "Approve the pull request (a review by someone other than its author, after the plan comment's last update), then re-run this job.",
        byHand,
      ];
    case "version":
      return ["Run the same ark-sync release in the plan and the apply workflows.", byHand];
    case "unreadable":
      return ["Re-run this job once GitHub answers (see https://www.githubstatus.com).", byHand];
    default:
      return [byHand];
  }
}

function describeChanges(
  refusal: Extract<Refusal, { kind: "changed" }>,
  style: Style,
  limit: number,
): string[] {
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

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
