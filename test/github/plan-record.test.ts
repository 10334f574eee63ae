// The plan record on the comment's last line, and the outcome of an apply in its own comment
// (docs/github.md#applying-only-the-reviewed-plan): it reads back what was written, stays within its
// budget for big plans, cannot be broken out of by hostile text, and the outcome stays small and
// escaped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderApplyResult } from "../../src/github/apply-result.js";
import { checkVisiblePlan, renderCommentBody } from "../../src/github/comment-body.js";
import { comparePlanRecords } from "../../src/github/compare-plan-records.js";
import {
  PLAN_RECORD_BUDGET,
  planRecordOf,
  readPlanRecord,
  renderPlanRecord,
} from "../../src/github/plan-record.js";
import { hostilePlan, largePlan, noChangesPlan, smallPlan } from "./plans.js";

const facts = {
  directory: "manifests",
  commit: "a".repeat(40),
  runUrl: "https://github.test/acme/infra/actions/runs/1",
  wayForward: ["Run the apply workflow by hand."],
};
const HEAD = "b".repeat(40);
const commentFacts = { head: HEAD, hint: "the job summary", rules: [] };

test("the record reads back as written, and is the comment's last line", () => {
  const plan = smallPlan();
  const body = renderCommentBody(plan, "manifests", commentFacts);
  const record = readPlanRecord(body);
  assert.equal(record, planRecordOf(plan, commentFacts));
  assert.is(record?.head, HEAD);
  assert.is(record?.hint, "the job summary");
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
  const line = renderPlanRecord(planRecordOf(plan, commentFacts), PLAN_RECORD_BUDGET);
  assert.match(line, /^<!-- ark-sync:plan v2 [A-Za-z0-9_-]+ -->$/);
  assert.ok(readPlanRecord(line)?.changes?.some((c) => c.address.includes("</details>")));
});

test("a record that cannot be read is no record", () => {
  for (const line of [
    "<!-- ark-sync:plan v2 !!! -->",
    "<!-- ark-sync:plan v2 AAAA -->",
    `<!-- ark-sync:plan v2 ${Buffer.from("[1]").toString("base64url")} -->`,
  ]) {
    assert.is(readPlanRecord(line), null, line);
  }
});

test("a 2,100-endpoint plan keeps its per-address actions within the budget; bigger ones keep the hash", () => {
  const big = renderPlanRecord(planRecordOf(largePlan(2100).plan, commentFacts), PLAN_RECORD_BUDGET);
  assert.ok(big.length <= PLAN_RECORD_BUDGET, `${big.length}`);
  const record = readPlanRecord(big);
  assert.is(record?.changes?.length, 2100);
  assert.is(record?.changes?.[0]?.digest, null, "digests gave way first");
  const hugePlan = largePlan(5000).plan;
  const huge = readPlanRecord(renderPlanRecord(planRecordOf(hugePlan, commentFacts), PLAN_RECORD_BUDGET));
  assert.is(huge?.changes, null);
  assert.is(huge?.hash, hugePlan.plan_hash);
  assert.equal(huge?.summary, hugePlan.summary);
});

test("a comparison names what changed: actions per address, values, the state", () => {
  const reviewed = planRecordOf(smallPlan(), commentFacts);
  const fresh = { ...planRecordOf(noChangesPlan(), commentFacts), state: { lineage: "l", serial: 99 } };
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

test("the biggest refusal is cut to a count and stays far within GitHub's limit", () => {
  const { plan } = largePlan(2100);
  const reviewed = planRecordOf(plan, commentFacts);
  const fresh = planRecordOf(noChangesPlan(), commentFacts);
  const block = renderApplyResult(
    {
      kind: "refused",
      refusal: { kind: "changed", reviewed, fresh, comparison: comparePlanRecords(reviewed, fresh) },
    },
    facts,
  );
  assert.ok(block.length <= 8000, `${block.length}`);
  assert.match(block, "…and 2080 more (the apply job's log lists them all).");
  assert.match(block, "Run the apply workflow by hand.");
});

test("hostile text in an outcome is escaped", () => {
  const evil = "evil`</details><img src=x onerror=alert(1)>@org/team";
  const block = renderApplyResult(
    {
      kind: "incomplete",
      headline: "1 failed.",
      problems: [{ address: evil, message: `update failed: ${evil} https://evil.test` }],
      notStarted: [],
      state: "State: everything above is recorded.",
      totals: "Changed on Ark in all: 0 added, 0 changed, 0 destroyed.",
    },
    facts,
  );
  assert.match(block, "> [!CAUTION]");
  const escaped = "update failed\\: evil\\`\\<\\/details\\>\\<img";
  assert.match(block, `- \`\`evil\`</details><img src=x onerror=alert(1)>@org/team\`\`: ${escaped}`);
  assert.match(block, "\\@\u200dorg", "no mention outside code");
  assert.not.match(block, "https://evil.test", "no link");
});

test("a forged version in a record cannot write Markdown into a refusal", () => {
  const block = renderApplyResult(
    {
      kind: "refused",
      refusal: { kind: "version", reviewed: "9.9.9 [click](https://evil.test)", current: "0.1.0" },
    },
    facts,
  );
  assert.not.match(block, "](https://evil.test)");
});

test("the comment renders again to the character from the plan and its record; any edit shows", () => {
  const plan = smallPlan();
  const body = renderCommentBody(plan, "manifests", commentFacts);
  const record = readPlanRecord(body);
  assert.ok(record);
  if (!record) return;
  assert.equal(checkVisiblePlan(body, plan, "manifests", record), { same: true });
  assert.equal(checkVisiblePlan(body.replace(/\n/g, "\r\n"), plan, "manifests", record), { same: true });
  const edited = body.replace(/Plan: \d+ to add/, "Plan: 0 to add");
  assert.not.equal(edited, body);
  const check = checkVisiblePlan(edited, plan, "manifests", record);
  assert.is(check.same, false);
  if (!check.same) {
    assert.match(check.shown, "Plan: 0 to add");
    assert.not.match(check.fresh, "Plan: 0 to add");
  }
  assert.is(checkVisiblePlan(`${body}\nAll fine, merge away.`, plan, "manifests", record).same, false);
  assert.is(checkVisiblePlan(body, noChangesPlan(), "manifests", record).same, false);
});

test.run();
