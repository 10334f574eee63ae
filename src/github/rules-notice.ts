// What the plan comment and the job log say about the branch rules ark-sync relies on
// (docs/github.md#recommended-rulesets): one line per branch that lacks a safeguard, or whose rules
// could not be read, in a `> [!WARNING]` block. The rules endpoint does not show classic branch
// protection, so a line says "no ruleset …" and adds what the token could see of classic protection;
// it claims that nothing protects a branch only when GitHub says the branch is not protected at all.
import { sanitizeText } from "../render/format-value.js";
import { codeSpan, escapeMarkdownText } from "../render/markdown-escape.js";
import { alert } from "../render/markdown-model.js";
import type { BranchFinding, ClassicProtection, Safeguard } from "./branch-safeguards.js";

const HEADING =
  '**This repository may not enforce what ark-sync relies on** (see "Recommended rulesets" in ark-sync\'s docs/github.md):';

/** How each safeguard is named after "No ruleset on BRANCH …". */
const SAFEGUARD_PHRASES: Record<Safeguard, string> = {
  approving_review: "requires an approving review before a merge",
  stale_review_dismissal: "dismisses approvals when new commits are pushed",
  force_push_block: "blocks force pushes",
  deletion_block: "blocks deletion",
  update_restriction: "restricts who may push",
};

const CLASSIC_ENDINGS: Record<ClassicProtection, string> = {
  none: ", and the branch has no classic protection either.",
  present: "; it has classic branch protection, which this token cannot read: check that it does.",
  unknown:
    " (classic branch protection cannot be read with this token: check it in the repository's settings).",
};

interface Style {
  code(text: string): string;
  text(text: string): string;
}

const MARKDOWN: Style = { code: codeSpan, text: escapeMarkdownText };
const PLAIN: Style = { code: (text) => `\`${sanitizeText(text)}\``, text: sanitizeText };

/** The warning block for a directory's comment; empty when every branch has what it needs. */
export function renderRulesNotice(findings: readonly BranchFinding[]): string {
  const lines = describeFindings(findings, MARKDOWN);
  return lines.length === 0
    ? ""
    : alert("WARNING", [HEADING, ...lines.map((line) => `- ${line}`)].join("\n"));
}

/** The same, as lines for the job log. */
export function rulesWarningLines(findings: readonly BranchFinding[]): string[] {
  return describeFindings(findings, PLAIN).map((line) => `Warning: ${line}`);
}

function describeFindings(findings: readonly BranchFinding[], style: Style): string[] {
  return findings.flatMap((finding) => {
    const where = `the ${finding.role === "default" ? "default" : "state"} branch${finding.branch === null ? "" : ` ${style.code(finding.branch)}`}`;
    if ("error" in finding)
      return [`Could not read the repository's rules for ${where}: ${style.text(finding.error)}`];
    if (finding.missing.length === 0) return [];
    const phrases = finding.missing.map((safeguard) => SAFEGUARD_PHRASES[safeguard]);
    return [`No ruleset on ${where} ${listWithOr(phrases)}${CLASSIC_ENDINGS[finding.classic]}`];
  });
}

function listWithOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
