// The outcome of `apply --require-reviewed` on the pull request (docs/github.md#the-result-on-the-pull-request):
// a comment of its own beside the directory's plan comment — applied, did not finish, or refused —
// with the commit and a link to the run, replaced by the next outcome. It is kept apart so that the
// plan comment changes only when the plan does: an approval is checked against that comment's last
// edit.
import { codeSpan, escapeMarkdownText } from "../render/markdown-escape.js";
import type { GitHubClient } from "./client.js";
import type { CommentAuthor } from "./comment-author.js";
import { describeRefusal, type Refusal, refusalHeadline } from "./review-refusal.js";
import { upsertStickyComment } from "./sticky-comment.js";

/** Characters the outcome may take: far below GitHub's limit, so long lists are cut to a count. */
const APPLY_RESULT_ROOM = 8000;

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
  /** After a refusal: how to get the manifests applied, one paragraph each. */
  wayForward: string[];
}

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
        `**Not applied** at ${at}: ${escapeMarkdownText(refusalHeadline(outcome.refusal))} for ${codeSpan(facts.directory)}. Nothing was sent to Ark.`,
        "",
        ...describeRefusal(outcome.refusal, code, limit).map((line) => `- ${line}`),
        "",
        ...facts.wayForward,
      ];
      break;
  }
  const quoted = [`[!${alert}]`, ...lines].map((line) => (line === "" ? ">" : `> ${line}`));
  // A re-run of the same commit's job recognises its own success by this line (appliedCommitIn).
  const applied = outcome.kind === "applied" ? [`<!-- ark-sync:applied ${facts.commit} -->`] : [];
  return [...applied, ...quoted].join("\n");
}

/** The commit whose apply the comment reports complete, if any. */
export function appliedCommitIn(body: string): string | null {
  return /^<!-- ark-sync:applied ([0-9a-f]{40}|[0-9a-f]{64}) -->$/m.exec(body)?.[1] ?? null;
}

export interface ResultTarget {
  client: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  /** The result comment's marker (`resultMarker`). */
  marker: string;
  author: CommentAuthor;
  log: (line: string) => void;
}

/** Puts the block into the directory's result comment (made if missing); returns its URL. */
export async function publishApplyResult(target: ResultTarget, block: string): Promise<string> {
  return (await upsertStickyComment({ ...target, body: `${target.marker}\n${block}` })).url;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
