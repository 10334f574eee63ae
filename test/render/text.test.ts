// The text renderer's contract beyond the golden files: colour only when asked, layout invariants,
// the contract lines, the legend, width, and untrusted text that must not reach the terminal raw.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type { EndpointAttributes, Plan } from "../../src/core/types.js";
import { renderPlanText, renderSummaryLine } from "../../src/render/text.js";
import { cases, planFor } from "./cases.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences
const ANSI = /\x1b\[[0-9;]*m/g;

function planNamed(name: string): Plan {
  const found = cases.find((renderCase) => renderCase.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return planFor(found);
}

for (const renderCase of cases) {
  test(`${renderCase.name}: colour only when asked, and the same text either way`, () => {
    const plan = planFor(renderCase);
    const plain = renderPlanText(plan, { color: false });
    const colored = renderPlanText(plan, { color: true });
    assert.not.ok(plain.includes("\x1b"), "no escape character without colour");
    assert.match(colored, ANSI);
    assert.is(colored.replace(ANSI, ""), plain);
  });

  test(`${renderCase.name}: one final newline, no trailing spaces, no double blank lines`, () => {
    const text = renderPlanText(planFor(renderCase), { color: false });
    assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"));
    assert.not.ok(text.startsWith("\n"));
    for (const line of text.split("\n"))
      assert.not.match(line, /[ \t]$/, `trailing space in ${JSON.stringify(line)}`);
    assert.not.ok(text.includes("\n\n\n"));
  });

  test(`${renderCase.name}: exactly one contract line`, () => {
    const plan = planFor(renderCase);
    const lines = renderPlanText(plan, { color: false }).split("\n");
    const summaries = lines.filter((line) => line.startsWith("Plan: "));
    const noChanges = lines.filter((line) => line.startsWith("No changes."));
    // A move is a change too (apply records it), as in Terraform.
    const changing = plan.resource_changes.some(
      (rc) => rc.change.actions[0] !== "no-op" || rc.previous_address !== undefined,
    );
    if (changing) {
      assert.equal(summaries, [renderSummaryLine(plan.summary)]);
      assert.equal(noChanges, []);
    } else {
      assert.equal(summaries, []);
      // A plan held back by a model switch in progress must not claim the endpoints match.
      const held = plan.warnings.some((warning) => warning.code === "model_switch_in_progress");
      assert.equal(noChanges, [held ? "No changes." : "No changes. Your endpoints match the manifests."]);
    }
  });
}

test("renderSummaryLine is the exact contract line", () => {
  assert.is(
    renderSummaryLine({ add: 3, change: 1, destroy: 2 }),
    "Plan: 3 to add, 1 to change, 2 to destroy.",
  );
});

test("the legend lists exactly the actions present, in Terraform's order", () => {
  const lines = renderPlanText(planNamed("many-resources-sorted"), { color: false }).split("\n");
  const start = lines.indexOf("Resource actions are indicated with the following symbols:");
  assert.equal(lines.slice(start + 1, lines.indexOf("", start)), [
    "  + create",
    "  ~ update in-place",
    "  - destroy",
    "-/+ destroy and then create replacement",
  ]);
  const cbd = renderPlanText(planNamed("create-before-destroy"), { color: false });
  assert.ok(cbd.includes("\n+/- create replacement and then destroy\n"));
  assert.not.ok(cbd.includes("  + create\n"));
});

test("resources are listed sorted by address whatever the input order", () => {
  const text = renderPlanText(planNamed("many-resources-sorted"), { color: false });
  const addresses = [...text.matchAll(/^ {2}# (\S+) (?:will|must)/gm)].map((match) => match[1] ?? "");
  assert.ok(addresses.length > 5);
  assert.equal(addresses, [...addresses].sort());
});

test("the drift section comes first and ends with a horizontal rule before the actions", () => {
  const text = renderPlanText(planNamed("update-rate-limit-with-drift"), { color: false });
  const note = text.indexOf("Note: Objects have changed outside of ark-sync");
  const rule = text.indexOf("─".repeat(77));
  const legend = text.indexOf("Resource actions are indicated");
  assert.ok(note === 0 && note < rule && rule < legend);
  assert.ok(text.includes("      ~ rate_limit.rpm = 10 -> 20\n"));
  assert.ok(
    text.includes("            # changed outside ark-sync (last applied: 10)\n          ~ rpm = 20 -> 10\n"),
  );
});

test("a replace names the attribute that forces it and warns loudly after the plan line", () => {
  const text = renderPlanText(planNamed("tag-added-forces-replacement"), { color: false });
  assert.ok(text.includes('-/+ endpoint "default/chat-prod" {\n'));
  assert.ok(text.includes("      ~ tags        = { # forces replacement\n"));
  assert.ok(text.includes('      ~ endpoint_id = "ep-20261102080000-x7k2p" -> (known after apply)\n'));
  const warning = text.indexOf("Warning: endpoint_id will change");
  assert.ok(warning > text.indexOf("Plan: 1 to add, 0 to change, 1 to destroy."));
  assert.match(text.slice(warning), /callers that use the old\s+id will break/);
});

test("width sets the horizontal rule and wraps prose", () => {
  const text = renderPlanText(planNamed("update-rate-limit-with-drift"), { color: false, width: 50 });
  const lines = text.split("\n");
  assert.ok(lines.includes("─".repeat(49)));
  assert.not.ok(text.includes("─".repeat(50)));
  const intro = lines.slice(2, lines.indexOf("", 2));
  assert.ok(intro.length >= 3);
  for (const line of intro) assert.ok(line.length <= 49, line);
});

test("untrusted text is escaped: no control, C1 or bidi characters reach the terminal", () => {
  const hostile: EndpointAttributes = {
    name: "evil\u001b[2J",
    project_name: "default",
    description: "clear\u001b[2J csi\u009b31m rtl\u202e line\nbreak",
    model_reference: { foundation_model: { name: "m", model_version: "1" } },
    tags: [{ key: "k\u001b]8;;", value: "\u0007bell" }],
  };
  const address = "default/evil\u001b[2J";
  const plan = computePlan(
    [{ address, attributes: hostile, lifecycle: {}, source: { file: "m.yaml", line: 1, col: 1 } }],
    null,
    [],
  );
  for (const color of [false, true]) {
    const text = renderPlanText(plan, { color }).replace(ANSI, "");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    assert.not.match(text.replace(/\n/g, ""), /[\u0000-\u001f\u007f-\u009f\u202e]/);
  }
  const text = renderPlanText(plan, { color: false });
  assert.ok(text.includes('"clear\\u001b[2J csi\\u009b31m rtl\\u202e line\\nbreak"'));
  assert.ok(text.includes("  # default/evil\\u001b[2J will be created\n"));
  assert.ok(text.includes('+ "k\\u001b]8;;" = "\\u0007bell"'));
});

test("invisible characters are escaped, so two names that look alike read differently", () => {
  const attributes: EndpointAttributes = {
    name: "chat\u200b",
    project_name: "default",
    description: "soft\u00adhyphen, joiner\u200d, word\u2060joiner, bom\ufeff",
    model_reference: { custom_model_id: "cm-1" },
  };
  const plan = computePlan(
    [
      {
        address: "default/chat\u200b",
        attributes,
        lifecycle: {},
        source: { file: "m.yaml", line: 1, col: 1 },
      },
    ],
    null,
    [],
  );
  const text = renderPlanText(plan, { color: false });
  assert.not.match(text, /\u00ad|\u200b|\u200d|\u2060|\ufeff/);
  assert.ok(text.includes("  # default/chat\\u200b will be created\n"), text);
  assert.ok(text.includes('"soft\\u00adhyphen, joiner\\u200d, word\\u2060joiner, bom\\ufeff"'), text);
});

test("attributes known only after apply, beyond endpoint_id, read (known after apply)", () => {
  const plan: Plan = {
    format_version: "1.0",
    refreshed: true,
    resource_changes: [
      {
        address: "default/a",
        endpoint_id: null,
        action_reason: "new_in_manifests",
        change: {
          actions: ["create"],
          before: null,
          after: { name: "a", project_name: "default" },
          after_unknown: { endpoint_id: true, model_unit_id: true },
          replace_paths: [],
          patch: [],
        },
        lifecycle: {},
      },
    ],
    resource_drift: [],
    unmanaged: [],
    no_longer_managed: [],
    warnings: [],
    errors: [],
    summary: { add: 1, change: 0, destroy: 0 },
    state: null,
    plan_hash: "sha256:0",
  };
  const text = renderPlanText(plan, { color: false });
  assert.ok(text.includes("      + endpoint_id   = (known after apply)\n"));
  assert.ok(text.includes("      + model_unit_id = (known after apply)\n"));
});

test("a tag keyed __proto__ is data, not lost", () => {
  const attributes: EndpointAttributes = {
    name: "p",
    project_name: "default",
    tags: JSON.parse('[{"key":"__proto__","value":"x"}]'),
  };
  const plan = computePlan(
    [{ address: "default/p", attributes, lifecycle: {}, source: { file: "m.yaml", line: 1, col: 1 } }],
    null,
    [],
  );
  assert.ok(renderPlanText(plan, { color: false }).includes('+ "__proto__" = "x"'));
});

test.run();
