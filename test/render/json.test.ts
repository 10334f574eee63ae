// The JSON plan: parses, carries exactly the fields of design §5 (plus refreshed, warnings, errors) in
// a fixed order, never ANSI, and carries everything the text renderer draws.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Plan, ResourceChange } from "../../src/core/types.js";
import { renderPlanJson } from "../../src/render/json.js";
import { renderPlanText } from "../../src/render/text.js";
import { cases, planFor } from "./cases.js";

const TOP_LEVEL = [
  "format_version",
  "refreshed",
  "resource_changes",
  "resource_drift",
  "unmanaged",
  "warnings",
  "errors",
  "summary",
  "state",
  "plan_hash",
];

/** A Plan rebuilt from the JSON alone, as `apply plan.json` or `comment plan.json` would. */
function planFromJson(json: string): Plan {
  const document = JSON.parse(json) as Plan;
  return {
    ...document,
    resource_changes: document.resource_changes.map((rc): ResourceChange => ({ ...rc, lifecycle: {} })),
  };
}

for (const renderCase of cases) {
  test(`${renderCase.name}: JSON has every field of §5, in order, and no ANSI`, () => {
    const plan = planFor(renderCase);
    const json = renderPlanJson(plan);
    assert.ok(json.endsWith("}\n"));
    assert.not.ok(json.includes("\x1b"));
    const document = JSON.parse(json);
    assert.equal(Object.keys(document), TOP_LEVEL);
    assert.is(document.format_version, "1.0");
    assert.is(document.plan_hash, plan.plan_hash);
    assert.equal(document.summary, plan.summary);
    assert.equal(document.state, plan.state);
    assert.is(document.resource_changes.length, plan.resource_changes.length, "no-ops included");
    for (const [i, rc] of document.resource_changes.entries()) {
      const original = plan.resource_changes[i] as ResourceChange;
      const moved = original.previous_address === undefined ? [] : ["previous_address"];
      const lifecycle = Object.keys(original.lifecycle).length === 0 ? [] : ["lifecycle"];
      assert.equal(Object.keys(rc), [
        "address",
        ...moved,
        "endpoint_id",
        "action_reason",
        ...lifecycle,
        "change",
      ]);
      assert.is(rc.previous_address, original.previous_address);
      assert.equal(
        rc.lifecycle ?? {},
        original.lifecycle,
        "a saved plan keeps the lifecycle apply relies on",
      );
      assert.equal(Object.keys(rc.change), [
        "actions",
        "before",
        "after",
        "after_unknown",
        "replace_paths",
        "patch",
      ]);
      assert.equal(rc.change.before, original.change.before);
      assert.equal(rc.change.after, original.change.after);
      assert.equal(rc.change.patch, original.change.patch);
    }
    assert.equal(document.resource_drift, plan.resource_drift);
    assert.equal(document.unmanaged, plan.unmanaged);
    assert.equal(document.warnings, plan.warnings);
    assert.equal(document.errors, plan.errors);
  });

  test(`${renderCase.name}: the text drawn from the JSON alone is the same`, () => {
    const plan = planFor(renderCase);
    assert.is(
      renderPlanText(planFromJson(renderPlanJson(plan)), { color: false }),
      renderPlanText(plan, { color: false }),
    );
  });
}

test("key order is fixed whatever order the plan's objects were built in", () => {
  const plan = planFor(cases[1] ?? (cases[0] as never));
  const scrambled = structuredClone(plan);
  for (const rc of scrambled.resource_changes) {
    const reverse = (value: object | null) =>
      value &&
      Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, v]),
      );
    rc.change.before = reverse(rc.change.before) as typeof rc.change.before;
    rc.change.after = reverse(rc.change.after) as typeof rc.change.after;
  }
  assert.is(renderPlanJson(scrambled), renderPlanJson(plan));
});

test("control and bidi characters stay escaped in the JSON text and round-trip exactly", () => {
  const plan = planFor(cases[0] as never);
  const hostile = structuredClone(plan);
  const description = "a\u001b[31m b\u009b c\u202e d\u2028e";
  const after = hostile.resource_changes[0]?.change.after;
  if (after) after.description = description;
  const json = renderPlanJson(hostile);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
  assert.not.match(json, /[\u001b\u009b\u202e\u2028]/);
  assert.is(JSON.parse(json).resource_changes[0].change.after.description, description);
});

test.run();
