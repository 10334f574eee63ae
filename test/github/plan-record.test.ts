// The plan record on the comment's last line, and the outcome block above the plan
// (docs/github.md#applying-only-the-reviewed-plan): it reads back what was written, stays within its
// budget for big plans, cannot be broken out of by hostile text, and the comment with an outcome
// stays within GitHub's limit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { APPLY_RESULT_ROOM, renderApplyResult, withApplyResult } from "../../src/github/apply-result.js";
import { comparePlanRecords } from "../../src/github/compare-plan-records.js";
import {
  PLAN_RECORD_BUDGET,
  planRecordOf,
  readPlanRecord,
  renderPlanRecord,
} from "../../src/github/plan-record.js";
import { renderCommentBody } from "../../src/github/publish-plan.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/github/sticky-comment.js";
import { hostilePlan, largePlan, noChangesPlan, smallPlan } from "./plans.js";

const facts = {
  directory: "manifests",
  commit: "a".repeat(40),
  runUrl: "https://github.test/acme/infra/actions/runs/1",
};

test("the record reads back as written, and is the comment's last line", () => {
  const plan = smallPlan();
  const body = renderCommentBody(plan, "manifests", "the job summary");
  const record = readPlanRecord(body);
  assert.equal(record, planRecordOf(plan));
  assert.is(record?.hash, plan.plan_hash);
  assert.equal(
    record?.changes?.map((c) => [c.address, c.actions]),
    [
      ["default/chat", "update"],
      ["default/chat-new", "create"],
      ["default/old", "delete"],
      ["default/rep", "delete,create"],
    ],
  );
  assert.is(readPlanRecord(`${body}\nsomething after`), null, "only the last line counts");
});

test("hostile addresses stay inside the record's payload, which cannot end an HTML comment", () => {
  const plan = hostilePlan();
  const line = renderPlanRecord(planRecordOf(plan), PLAN_RECORD_BUDGET);
  assert.match(line, /^<!-- ark-sync:plan v1 [A-Za-z0-9_-]+ -->$/);
  assert.ok(readPlanRecord(line)?.changes?.some((c) => c.address.includes("</details>")));
});

test("a record that cannot be read is no record", () => {
  for (const line of [
    "<!-- ark-sync:plan v1 !!! -->",
    "<!-- ark-sync:plan v1 AAAA -->",
    `<!-- ark-sync:plan v1 ${Buffer.from("[1]").toString("base64url")} -->`,
  ]) {
    assert.is(readPlanRecord(line), null, line);
  }
});

test("a 2,100-endpoint plan keeps its per-address actions within the budget; bigger ones keep the hash", () => {
  const big = renderPlanRecord(planRecordOf(largePlan(2100).plan), PLAN_RECORD_BUDGET);
  assert.ok(big.length <= PLAN_RECORD_BUDGET, `${big.length}`);
  const record = readPlanRecord(big);
  assert.is(record?.changes?.length, 2100);
  assert.is(record?.changes?.[0]?.digest, null, "digests gave way first");
  const hugePlan = largePlan(5000).plan;
  const huge = readPlanRecord(renderPlanRecord(planRecordOf(hugePlan), PLAN_RECORD_BUDGET));
  assert.is(huge?.changes, null);
  assert.is(huge?.hash, hugePlan.plan_hash);
  assert.equal(huge?.summary, hugePlan.summary);
});

test("a comparison names what changed: actions per address, values, the state", () => {
  const reviewed = planRecordOf(smallPlan());
  const fresh = { ...planRecordOf(noChangesPlan()), state: { lineage: "l", serial: 99 } };
  const comparison = comparePlanRecords(reviewed, fresh);
  assert.equal(comparison.actions, [
    { address: "default/chat", reviewed: "update", fresh: "" },
    { address: "default/chat-new", reviewed: "create", fresh: "" },
    { address: "default/old", reviewed: "delete", fresh: "" },
    { address: "default/rep", reviewed: "delete,create", fresh: "" },
  ]);
  assert.ok(comparison.state);
  assert.is(comparison.version, null);
});

test("the biggest comment plus the biggest outcome stays within GitHub's limit", () => {
  const { plan } = largePlan(2100);
  const body = renderCommentBody(plan, "manifests", "the job summary");
  const reviewed = planRecordOf(plan);
  const fresh = planRecordOf(noChangesPlan());
  const block = renderApplyResult(
    {
      kind: "refused",
      refusal: { kind: "changed", reviewed, fresh, comparison: comparePlanRecords(reviewed, fresh) },
    },
    facts,
  );
  assert.ok(block.length <= APPLY_RESULT_ROOM, `${block.length}`);
  assert.match(block, "…and 2080 more (the apply job's log lists them all).");
  const withResult = withApplyResult(body, block);
  assert.ok(withResult.length <= GITHUB_COMMENT_LIMIT, `${withResult.length}`);
  assert.is(readPlanRecord(withResult)?.hash, reviewed.hash);
});

test("a new outcome replaces the earlier one; hostile text in it is escaped", () => {
  const body = renderCommentBody(smallPlan(), "manifests", "the job summary");
  const first = withApplyResult(
    body,
    renderApplyResult(
      { kind: "applied", line: "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." },
      facts,
    ),
  );
  const evil = "evil`</details><img src=x onerror=alert(1)>@org/team";
  const second = withApplyResult(
    first,
    renderApplyResult(
      {
        kind: "incomplete",
        headline: "1 failed.",
        problems: [{ address: evil, message: `update failed: ${evil} https://evil.test` }],
        notStarted: [],
        state: "State: everything above is recorded.",
        totals: "Changed on Ark in all: 0 added, 0 changed, 0 destroyed.",
      },
      facts,
    ),
  );
  assert.is(second.split("<!-- ark-sync:result -->").length, 2);
  assert.not.match(second, "Apply complete!");
  assert.match(second, "> [!CAUTION]");
  assert.is(withApplyResult(second, "X").replace("X\n", ""), body, "the plan below is untouched");
  const block = second.slice(0, second.indexOf("<!-- ark-sync:result-end -->"));
  const escaped = "update failed\\: evil\\`\\<\\/details\\>\\<img";
  assert.match(block, `- \`\`evil\`</details><img src=x onerror=alert(1)>@org/team\`\`: ${escaped}`);
  assert.match(block, "\\@\u200dorg", "no mention outside code");
  assert.not.match(block, "https://evil.test", "no link");
});

test.run();
