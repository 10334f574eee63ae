// The Markdown plan: Terraform grammar in ```diff fences with the symbol in column 0, warnings outside
// <details>, folding to a length limit without losing destroys or drift, a big plan that opens short
// (docs/github.md, "Big plans"), and escaping that no manifest value can break out of (checked by
// rendering with marked, a GFM renderer).
import { marked, type Tokens } from "marked";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type { Plan } from "../../src/core/types.js";
import { GITHUB_COMMENT_LIMIT } from "../../src/github/sticky-comment.js";
import { renderPlanMarkdown } from "../../src/render/markdown.js";
import { applied, attrs, desired, live, state } from "../core/builders.js";
import { cases, planFor } from "../render/cases.js";
import { assertGolden } from "../render/golden.js";
import {
  HOSTILE,
  hostilePlan,
  ISSUE_11_SIZES,
  largePlan,
  noChangesPlan,
  sizedPlan,
  smallPlan,
} from "./plans.js";

/** A pull-request comment's options: the directory, and GitHub's limit. */
const inComment = { directory: "manifests", maxLength: GITHUB_COMMENT_LIMIT };

function diffBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === "code" && (token as Tokens.Code).lang === "diff")
      blocks.push((token as Tokens.Code).text);
  });
  return blocks;
}

function html(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false });
}

/** The HTML's text outside <pre> and <code>, where GitHub links mentions and references. */
function proseOf(rendered: string): string {
  return rendered.replace(/<pre>[\s\S]*?<\/pre>/g, "").replace(/<code>[\s\S]*?<\/code>/g, "");
}

/** Creates and updates: destroys and replaces are accounted for by the warning list. */
function constructiveCount(plan: Plan): number {
  return plan.resource_changes.filter(
    (rc) => rc.change.actions[0] !== "no-op" && !(rc.change.actions as string[]).includes("delete"),
  ).length;
}

/** How many creates and updates the comment shows in full, names without a diff, or counts as left out. */
function accountFor(markdown: string): number {
  const details = (markdown.match(/^<details.*will be (created|updated in-place)<\/summary>$/gm) ?? [])
    .length;
  const counted = (pattern: RegExp) =>
    [...markdown.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  const named = counted(/^\*\*[+~] (\d+) to (?:create|update in place)\*\* without their diffs/gm);
  const omitted = counted(/^\*\*\.\.\. and [+~] (\d+) to (?:create|update in place), not named here/gm);
  return details + named + omitted;
}

/** The bullets of the Caution box that are not inside a fold. */
function unfoldedCautionBullets(markdown: string): string[] {
  const caution = markdown.slice(markdown.indexOf("> [!CAUTION]"));
  const beforeFold = caution.slice(0, caution.search(/^> <details>|^[^>]/m));
  return beforeFold.split("\n").filter((line) => line.startsWith("> - "));
}

test("the summary line, then destroy/replace and drift warnings, all before the first <details>", () => {
  const plan = smallPlan();
  const markdown = renderPlanMarkdown(plan, inComment);
  const firstDetails = markdown.indexOf("<details");
  assert.ok(firstDetails > 0);
  const outside = markdown.slice(0, firstDetails);
  assert.match(outside, "**Plan: 2 to add, 1 to change, 2 to destroy.**");
  assert.match(outside, "> [!CAUTION]");
  assert.match(outside, "> - `default/old` (`ep-2`) will be **destroyed**: no longer in the manifests.\n");
  assert.match(outside, '> - `default/rep` (`ep-3`) must be **replaced**, forced by `tags["env"]`.\n');
  assert.match(outside, "callers that use the old id will break");
  assert.match(outside, "> [!WARNING]");
  assert.match(outside, "**1 endpoint has changed outside ark-sync**");
  assert.match(outside, "!       rate_limit.rpm = 10 -> 99");
  assert.match(markdown, /^### ark-sync plan for `manifests`$/m);
});

test("prepaid capacity a destroy or replacement releases is in the Caution box, not among the warnings", () => {
  const prepaid = cases.find((renderCase) => renderCase.name === "prepaid-capacity-released");
  assert.ok(prepaid);
  const markdown = renderPlanMarkdown(planFor(prepaid), inComment);
  const bullets = unfoldedCautionBullets(markdown);
  assert.equal(bullets, [
    '> - `default/chat-prod` (`ep-20261102080000-x7k2p`) must be **replaced**, forced by `tags["env"]`. It holds **prepaid capacity** (model unit `mu-20260301-a1`), which destroying it releases.',
    "> - `default/chat-old` (`ep-20250601000000-old01`) will be **destroyed**: no longer in the manifests. It holds **prepaid capacity** (TPM guarantee package `st-20250601-tpm1`), which destroying it releases.",
  ]);
  assert.match(markdown, "An endpoint that holds **prepaid capacity** lets go of it;");
  assert.not.match(markdown, "Endpoint holds prepaid capacity", "not repeated as a warning");
});

test("each resource has its own <details> with a diff fence, in Terraform's grammar", () => {
  const markdown = renderPlanMarkdown(smallPlan(), inComment);
  assert.match(markdown, "<summary><code>default/chat</code> will be updated in-place</summary>");
  assert.match(markdown, "<details><summary><code>default/old</code> will be <b>destroyed</b></summary>");
  assert.match(markdown, "<details open><summary><code>default/rep</code> must be <b>replaced</b></summary>");
  assert.match(markdown, "<summary><code>default/rep</code> must be <b>replaced</b></summary>");
  const blocks = diffBlocks(markdown);
  assert.is(blocks.length, 5, "the drift fence and four resources");
  const update = blocks.find((block) => block.includes("default/chat will be updated in-place")) ?? "";
  assert.equal(update.split("\n"), [
    "#   default/chat will be updated in-place",
    '!   endpoint "default/chat" {',
    '        endpoint_id = "ep-1"',
    '        name        = "chat"',
    "!       rate_limit  = {",
    "#           changed outside ark-sync (last applied: 10)",
    "!           rpm = 99 -> 20",
    "#           (1 unchanged attribute hidden)",
    "        }",
    "        tags        = {",
    '            "env" = "prod"',
    "        }",
    "#       (2 unchanged attributes hidden)",
    "    }",
  ]);
  const replace = blocks.find((block) => block.includes("must be replaced")) ?? "";
  assert.match(replace, '-/+ endpoint "default/rep" {');
  assert.match(replace, '!       endpoint_id = "ep-3" -> (known after apply)');
  assert.match(replace, "!       tags        = { # forces replacement");
  const create = blocks.find((block) => block.includes("will be created")) ?? "";
  assert.match(create, "+       endpoint_id     = (known after apply)");
});

test("every line in a diff fence starts with +, -, !, # or a space (GitHub colours by column 0)", () => {
  for (const plan of [smallPlan(), hostilePlan(), largePlan(300).plan]) {
    for (const block of diffBlocks(renderPlanMarkdown(plan, { directory: "m", maxLength: 1_000_000 }))) {
      for (const line of block.split("\n")) assert.ok(/^[-+!# ]/.test(line), `line ${JSON.stringify(line)}`);
    }
  }
});

test("an empty plan says No changes. and has no <details>", () => {
  const markdown = renderPlanMarkdown(noChangesPlan(), inComment);
  assert.match(markdown, "**No changes.** Your endpoints match the manifests.");
  assert.not.match(markdown, "<details");
  assert.not.match(markdown, "Plan:");
});

test("values removed from the manifests and kept live are a Note outside <details>, one bullet each", () => {
  const plan = computePlan(
    [desired(attrs({ rate_limit: undefined, description: "new" }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  const markdown = renderPlanMarkdown(plan, inComment);
  const outside = markdown.slice(0, markdown.indexOf("<details"));
  assert.match(outside, "> [!NOTE]\n> **2 values removed from the manifests are left as they are live.**");
  assert.match(
    outside,
    "> - `default/chat`: `rate_limit.rpm` = `10`\n> - `default/chat`: `rate_limit.tpm` = `5`",
  );
});

test("a small plan opens its <details>; a title is escaped", () => {
  const plan = computeOneCreate();
  const markdown = renderPlanMarkdown(plan, { ...inComment, title: "Plan for <prod> @ops" });
  assert.match(markdown, "<details open><summary>");
  assert.match(markdown, "### Plan for \\<prod\\> \\@\u200dops for `manifests`");
});

function computeOneCreate(): Plan {
  const plan = smallPlan();
  return {
    ...plan,
    resource_changes: plan.resource_changes.filter((rc) => rc.address === "default/chat-new"),
    resource_drift: [],
  };
}

test("hostile manifest text cannot close a fence, open HTML, mention anyone or make a link", () => {
  const markdown = renderPlanMarkdown(hostilePlan(), inComment);
  const rendered = html(markdown);
  assert.not.match(rendered, /<img|<script|<a |<\/?b>changed/i);
  const opened = (rendered.match(/<details/g) ?? []).length;
  assert.is(opened, (markdown.match(/^<details/gm) ?? []).length);
  assert.is((rendered.match(/<\/details>/g) ?? []).length, opened);
  assert.is((rendered.match(/<summary>/g) ?? []).length, opened);
  assert.not.match(proseOf(rendered), /@[A-Za-z0-9]/, "no live mention outside code");
  assert.not.match(proseOf(rendered), /#\d/, "no issue reference outside code");
  assert.not.match(markdown, "\u202e", "bidi override escaped");
  // The hostile description stays inside its diff fences, whole.
  const blocks = diffBlocks(markdown);
  assert.ok(blocks.some((block) => block.includes(JSON.stringify(HOSTILE).replace("\u202e", "\\u202e"))));
  for (const block of blocks) for (const line of block.split("\n")) assert.ok(/^[-+!# ]/.test(line), line);
});

test("a hostile address is code in summaries and escaped in prose", () => {
  const markdown = renderPlanMarkdown(hostilePlan(), inComment);
  assert.match(
    markdown,
    "<summary><code>default/evil`&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;@org/team</code>",
  );
  assert.match(markdown, "``default/evil`</details><img src=x onerror=alert(1)>@org/team``");
});

test("3,000 endpoints fit in 65,536 characters with the summary, every destroy, replace and drift", () => {
  const { plan, destroyed, replaced, drifted } = largePlan(3000);
  const markdown = renderPlanMarkdown(plan, inComment);
  assert.ok(markdown.length <= 65_536, `length ${markdown.length}`);
  const { add, change, destroy } = plan.summary;
  assert.match(markdown, `**Plan: ${add} to add, ${change} to change, ${destroy} to destroy.**`);
  for (const address of destroyed) assert.match(markdown, `\`${address}\` (\``, address);
  for (const address of replaced) assert.match(markdown, `\`${address}\` (\``, address);
  for (const address of drifted)
    assert.match(markdown, `${address} has changed: rate_limit.rpm = 10 -> 999`, address);
  assert.match(markdown, /not named here; see the job summary\.\*\*/);
  assert.is(accountFor(markdown), constructiveCount(plan));
});

test("issue 11's plan (2,162 endpoints) opens with a count table and short lists, and names every create", () => {
  const { plan, destroyed, replaced, drifted } = sizedPlan(ISSUE_11_SIZES);
  const markdown = renderPlanMarkdown(plan, inComment);
  assert.ok(markdown.length <= 65_536, `length ${markdown.length}`);
  assert.match(
    markdown,
    [
      "**Plan: 372 to add, 1580 to change, 222 to destroy.**",
      "",
      "| | count |",
      "|:--|--:|",
      "| `+` create | 360 |",
      "| `~` update in place | 1580 |",
      "| `-/+` replace (new endpoint_id) | 12 |",
      "| `-` destroy | 210 |",
      "| changed outside ark-sync (drift) | 60 |",
      "",
      "> [!CAUTION]",
    ].join("\n"),
  );
  // The Caution box shows ten bullets and folds the other 212, inside the box.
  assert.is(unfoldedCautionBullets(markdown).length, 10);
  assert.match(markdown, "> <details><summary>212 more destroys and replacements</summary>");
  for (const address of [...destroyed, ...replaced]) assert.match(markdown, `> - \`${address}\` (\``);
  // Drift: ten endpoints shown, fifty in a fold, none left out.
  assert.match(markdown, "<details><summary>50 more drifted endpoints</summary>");
  for (const address of drifted) assert.match(markdown, `${address} has changed: rate_limit.rpm = 10 -> 999`);
  // Every create is named, in one compact list in the fold of creates.
  const creates = plan.resource_changes.filter((rc) => rc.change.actions.join() === "create");
  assert.is(creates.length, 360);
  assert.match(markdown, "<details><summary><b>+ 360 to create</b></summary>");
  const createList = /^\*\*\+ 360 to create\*\* without their diffs \(see the job summary\): (.*)$/m.exec(
    markdown,
  );
  assert.ok(createList, "the compact list of creates");
  assert.is(createList[1], creates.map((rc) => `\`${rc.address}\``).join(", "));
  assert.match(markdown, "<details><summary><b>~ 1580 to update in place</b></summary>");
  assert.is(accountFor(markdown), constructiveCount(plan));
  // What a reviewer sees before opening any fold: the head, the table, ten bullets and ten drift lines.
  const rendered = html(markdown);
  const visible = rendered.replace(/<details>[\s\S]*?<\/details>/g, "<details/>");
  assert.ok(visible.length < 8_000, `${visible.length} characters of HTML outside folds`);
  assert.is((rendered.match(/<details/g) ?? []).length, (rendered.match(/<\/details>/g) ?? []).length);
});

test("a small plan is shown as before: no count table, no group folds (golden file)", () => {
  assertGolden("markdown/small-plan.md", renderPlanMarkdown(smallPlan(), inComment));
});

test("a plan that does one kind of thing has no count table; a few of a kind start open", () => {
  const oneKind = renderPlanMarkdown(sizedPlan({ ...NONE, create: 8 }).plan, inComment);
  assert.not.match(oneKind, "| | count |");
  assert.match(oneKind, "<details open><summary><b>+ 8 to create</b></summary>");
  const many = renderPlanMarkdown(sizedPlan({ ...NONE, create: 11, destroy: 3 }).plan, inComment);
  assert.match(many, "| `+` create | 11 |\n| `-` destroy | 3 |\n\n");
  assert.match(many, "<details><summary><b>+ 11 to create</b></summary>");
  assert.match(many, "<details open><summary><b>- 3 to destroy</b></summary>");
  assert.ok(many.indexOf("3 to destroy</b>") < many.indexOf("11 to create</b>"), "destroys first");
});

const NONE = { create: 0, update: 0, destroy: 0, replace: 0, drift: 0 };

test("any limit is kept, and every resource is shown, listed or counted as omitted", () => {
  const { plan, destroyed, replaced } = largePlan(600);
  const full = renderPlanMarkdown(plan, { directory: "manifests", maxLength: 10_000_000 });
  assert.is(
    (full.match(/^<details(?: open)?><summary><code>/gm) ?? []).length,
    plan.resource_changes.filter((rc) => rc.change.actions[0] !== "no-op").length,
  );
  for (const maxLength of [6_000, 12_000, 30_000, 65_536, 150_000, full.length - 1]) {
    const markdown = renderPlanMarkdown(plan, { directory: "manifests", maxLength });
    assert.ok(markdown.length <= maxLength, `${markdown.length} > ${maxLength}`);
    assert.is(
      accountFor(markdown),
      constructiveCount(plan),
      `creates and updates accounted for at ${maxLength}`,
    );
    const bullets = (markdown.match(/^> - `default\//gm) ?? []).length;
    const more = Number(/\.\.\. and (\d+) more destroys and replacements/.exec(markdown)?.[1] ?? 0);
    assert.is(bullets + more, destroyed.length + replaced.length, `destroys accounted for at ${maxLength}`);
  }
});

test("a UTF-8 byte limit counts bytes, for the 1 MiB job summary", () => {
  const { plan } = largePlan(400);
  const wide: Plan = {
    ...plan,
    resource_changes: plan.resource_changes.map((rc) =>
      rc.change.after
        ? {
            ...rc,
            change: { ...rc.change, after: { ...rc.change.after, description: "推理接入点".repeat(20) } },
          }
        : rc,
    ),
  };
  const markdown = renderPlanMarkdown(wide, { directory: "m", maxLength: 40_000, unit: "utf8" });
  assert.ok(Buffer.byteLength(markdown) <= 40_000, `${Buffer.byteLength(markdown)} bytes`);
  assert.ok(markdown.length < 40_000 && Buffer.byteLength(markdown) > 30_000, "the budget is used, in bytes");
});

test("the not-refreshed note and plan errors are outside <details>", () => {
  const plan = smallPlan();
  const offline: Plan = {
    ...plan,
    refreshed: false,
    errors: [
      {
        code: "prevent_destroy",
        address: "default/old",
        message: "default/old has lifecycle.prevent_destroy set",
      },
    ],
  };
  const markdown = renderPlanMarkdown(offline, inComment);
  const outside = markdown.slice(0, markdown.indexOf("<details"));
  assert.match(outside, "Live state was not read (`--refresh=false`)");
  assert.match(outside, "**This plan cannot be applied:**");
  assert.match(
    outside,
    "**Endpoint cannot be destroyed:** default\\/old has lifecycle\\.prevent\\_destroy set",
  );
});

test.run();
