// The outcome of `apply --require-reviewed` on the pull request (docs/github.md#the-result-on-the-pull-request):
// a block right under the comment's marker line — applied, did not finish, or refused — with the
// commit and a link to the run, replaced by the next outcome. The plan is rendered with room left for
// it (APPLY_RESULT_ROOM), so the comment stays within GitHub's limit.
import { codeSpan, escapeMarkdownText } from "../render/markdown-escape.js";
import type { GitHubClient } from "./client.js";
import type { CommentAuthor } from "./comment-author.js";
import { readPlanRecord } from "./plan-record.js";
import { describeChanges, NEW_REVIEW_STEPS, type Refusal, refusalHeadline } from "./review-refusal.js";
import { findStickyComment, GITHUB_COMMENT_LIMIT, upsertStickyComment } from "./sticky-comment.js";

/** Characters a plan comment leaves free for the outcome block. */
export const APPLY_RESULT_ROOM = 4000;

export type ApplyOutcome =
  | { kind: "applied"; line: string }
  | {
      kind: "incomplete";
      /** e.g. "apply did not finish: 1 failed, 2 not started." */
      headline: string;
      problems: { address: string; message: string }[];
      notStarted: string[];
      /** What the state holds, e.g. "State: everything above is recorded in … (serial 5)." */
      state: string;
      /** "Changed on Ark in all: …" */
      totals: string;
    }
  | { kind: "refused"; refusal: Refusal };

export interface RunFacts {
  directory: string;
  commit: string;
  runUrl: string | null;
}

const START = "<!-- ark-sync:result -->";
const END = "<!-- ark-sync:result-end -->";
const MAX_MESSAGE = 300;

/** The block, within APPLY_RESULT_ROOM: fewer addresses listed until it fits (without any, it does). */
export function renderApplyResult(outcome: ApplyOutcome, facts: RunFacts): string {
  let block = "";
  for (const limit of [20, 5, 0]) {
    block = renderBlock(outcome, facts, limit);
    if (block.length <= APPLY_RESULT_ROOM) break;
  }
  return block;
}

function renderBlock(outcome: ApplyOutcome, facts: RunFacts, limit: number): string {
  const at = `commit ${codeSpan(facts.commit.slice(0, 12))}${facts.runUrl ? ` · [workflow run](${facts.runUrl})` : ""}`;
  const code = { code: codeSpan };
  let alert: string;
  let lines: string[];
  switch (outcome.kind) {
    case "applied":
      alert = "NOTE";
      lines = [`**Applied** at ${at}.`, "", `**${outcome.line}**`];
      break;
    case "incomplete": {
      alert = "CAUTION";
      const problems = outcome.problems.map(
        (p) => `- ${codeSpan(p.address)}: ${escapeMarkdownText(clip(p.message))}`,
      );
      lines = [
        `**The apply did not finish** at ${at}: ${escapeMarkdownText(outcome.headline)}`,
        "",
        ...problems.slice(0, limit),
        ...(problems.length > limit ? [`- …and ${problems.length - limit} more (see the run)`] : []),
        ...(outcome.notStarted.length === 0
          ? []
          : [
              "",
              `Not started: ${outcome.notStarted.slice(0, limit).map(codeSpan).join(", ")}${outcome.notStarted.length > limit ? ` and ${outcome.notStarted.length - limit} more` : ""}.`,
            ]),
        "",
        escapeMarkdownText(outcome.state),
        escapeMarkdownText(outcome.totals),
      ];
      break;
    }
    case "refused":
      alert = "WARNING";
      lines = [
        `**Not applied** at ${at}: ${refusalHeadline(outcome.refusal)} for ${codeSpan(facts.directory)}. Nothing was sent to Ark.`,
        "",
        ...describeChanges(outcome.refusal, code, limit).map((line) => `- ${line}`),
        "",
        ...NEW_REVIEW_STEPS,
      ];
      break;
  }
  const quoted = [`[!${alert}]`, ...lines].map((line) => (line === "" ? ">" : `> ${line}`));
  // A re-run of the same commit's job recognises its own success by this line (appliedCommitIn).
  const applied = outcome.kind === "applied" ? [`<!-- ark-sync:applied ${facts.commit} -->`] : [];
  return [START, ...applied, ...quoted, "", END].join("\n");
}

/** The commit whose apply the comment reports complete, if any. */
export function appliedCommitIn(body: string): string | null {
  return /^<!-- ark-sync:applied ([0-9a-f]{40}|[0-9a-f]{64}) -->$/m.exec(body)?.[1] ?? null;
}

/** `body` with `block` right under its marker line, replacing an earlier outcome. */
export function withApplyResult(body: string, block: string): string {
  const [marker = "", ...rest] = body.split("\n");
  let remainder = rest.join("\n");
  if (remainder.startsWith(`${START}\n`)) {
    const end = remainder.indexOf(`\n${END}`);
    if (end >= 0) remainder = remainder.slice(end + END.length + 1).replace(/^\n/, "");
  }
  return `${marker}\n${block}\n${remainder}`;
}

export interface ResultTarget {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  marker: string;
  author: CommentAuthor;
  log: (line: string) => void;
}

/** Puts the block into the directory's comment (made if missing); returns the comment's URL. */
export async function publishApplyResult(target: ResultTarget, block: string): Promise<string> {
  const existing = (await findStickyComment(target))?.body ?? target.marker;
  let body = withApplyResult(existing, block);
  if (body.length > GITHUB_COMMENT_LIMIT) {
    // Only a comment rendered without room for the outcome (by an earlier ark-sync) gets here: its plan
    // text gives way to the outcome, and a record line, if any, stays.
    const last = existing.trimEnd().split("\n").pop() ?? "";
    const record = readPlanRecord(last) ? `\n${last}` : "";
    body = `${target.marker}\n${block}\n_The plan shown here before left no room for this outcome; the plan job's summary has it._${record}`;
  }
  return (await upsertStickyComment({ ...target, body })).url;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
