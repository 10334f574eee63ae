// The text of a directory's plan comment (docs/github.md#the-pull-request-comment): the marker line, the
// plan in Markdown fitted to GitHub's limit, the warning about the repository's branch rules (if any),
// and the plan's hidden record, which holds everything but the plan that the text is rendered from. The same function renders
// it for `comment` and, at apply, renders the fresh plan again to check it against what reviewers
// read (docs/github.md#applying-only-the-reviewed-plan).
import type { Plan } from "../core/types.js";
import { renderPlanMarkdown } from "../render/markdown.js";
import { commentMarker } from "./comment-marker.js";
import {
  type CommentFacts,
  PLAN_RECORD_BUDGET,
  type PlanRecord,
  planRecordOf,
  renderPlanRecord,
} from "./plan-record.js";
import { renderRulesNotice } from "./rules-notice.js";
import { GITHUB_COMMENT_LIMIT } from "./sticky-comment.js";

export function renderCommentBody(plan: Plan, directory: string, facts: CommentFacts): string {
  const marker = commentMarker(directory);
  const record = renderPlanRecord(planRecordOf(plan, facts), PLAN_RECORD_BUDGET);
  const notice = renderRulesNotice(facts.rules);
  const tail = notice === "" ? record : `${notice}\n\n${record}`;
  const markdown = renderPlanMarkdown(plan, {
    directory,
    maxLength: GITHUB_COMMENT_LIMIT - marker.length - tail.length - 2,
    fullPlanHint: facts.hint,
  });
  return `${marker}\n${markdown}\n${tail}`;
}

export type VisiblePlanCheck =
  | { same: true }
  /** `line` is the first line (1-based) where the comment and the fresh rendering part. */
  | { same: false; line: number; shown: string; fresh: string };

/** Whether `body` is, to the character, the comment `plan` renders into with the record's facts. */
export function checkVisiblePlan(
  body: string,
  plan: Plan,
  directory: string,
  record: PlanRecord,
): VisiblePlanCheck {
  const shown = lines(body);
  const fresh = lines(renderCommentBody(plan, directory, record));
  const length = Math.max(shown.length, fresh.length);
  for (let i = 0; i < length; i++) {
    if (shown[i] !== fresh[i]) {
      return { same: false, line: i + 1, shown: shown[i] ?? "(nothing)", fresh: fresh[i] ?? "(nothing)" };
    }
  }
  return { same: true };
}

function lines(text: string): string[] {
  return text.replace(/\r\n/g, "\n").trimEnd().split("\n");
}
