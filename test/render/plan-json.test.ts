// The JSON plan: parses, carries exactly the fields of docs/design.md §5 (plus refreshed, no_longer_managed,
// warnings, errors) in
// a fixed order, never ANSI, and reads back as the Plan it was written from; a file that is not a
// saved plan is refused with a message naming it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ArkSyncError } from "../../src/core/errors.js";
import type { ResourceChange } from "../../src/core/types.js";
import { parsePlanJson, readPlanFile, renderPlanJson } from "../../src/render/plan-json.js";
import { cases, planFor } from "./cases.js";

const TOP_LEVEL = [
  "format_version",
  "refreshed",
  "resource_changes",
  "resource_drift",
  "unmanaged",
  "no_longer_managed",
  "warnings",
  "errors",
  "summary",
  "state",
  "plan_hash",
];

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
      const modelSwitch = original.model_switch === undefined ? [] : ["model_switch"];
      const status = original.status === undefined ? [] : ["status"];
      const capacity = original.prepaid_capacity === undefined ? [] : ["prepaid_capacity"];
      assert.equal(Object.keys(rc), [
        "address",
        ...moved,
        "endpoint_id",
        "action_reason",
        ...lifecycle,
        ...modelSwitch,
        ...status,
        ...capacity,
        "change",
      ]);
      assert.equal(rc.prepaid_capacity, original.prepaid_capacity);
      assert.is(rc.status, original.status, "a saved plan keeps the live status apply waits on");
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
    assert.equal(document.no_longer_managed, plan.no_longer_managed);
    assert.equal(document.warnings, plan.warnings);
    assert.equal(document.errors, plan.errors);
  });

  test(`${renderCase.name}: the JSON reads back as the plan it was written from`, () => {
    const plan = planFor(renderCase);
    assert.equal(parsePlanJson(renderPlanJson(plan), "plan.json"), plan);
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

/** The error parsePlanJson throws for `text`, checked to be an input error about a plan file. */
function refusal(text: string): string {
  try {
    parsePlanJson(text, "plan.json");
  } catch (error) {
    assert.ok(error instanceof ArkSyncError, String(error));
    assert.equal([error.kind, error.code], ["input", "plan_file_invalid"], text);
    assert.is(error.hint, "Write it with: ark-sync plan --out FILE");
    return error.message;
  }
  throw new Error(`${text} was read as a plan`);
}

test("what is not a saved plan is refused, saying why", () => {
  const summary = { add: 0, change: 0, destroy: 0 };
  const document = (fields: object) => JSON.stringify({ format_version: "1.0", summary, ...fields });
  const rows: [string, string][] = [
    ["{", "plan.json is not JSON, so not a saved plan"],
    ["[]", "plan.json is not a saved ark-sync plan: not a JSON object"],
    [
      JSON.stringify({ format_version: "2.0" }),
      'plan.json is not a saved ark-sync plan: format_version is "2.0", not "1.0"',
    ],
    [document({}), "plan.json is not a saved ark-sync plan: resource_changes is not a list"],
    [
      document({ resource_changes: [], summary: { add: 1 } }),
      "plan.json is not a saved ark-sync plan: summary is not {add, change, destroy}",
    ],
    [
      document({ resource_changes: [{ address: "default/a", change: {} }] }),
      "plan.json is not a saved ark-sync plan: resource_changes[0] has no address or actions",
    ],
  ];
  for (const [text, message] of rows) assert.is(refusal(text), message, text);
});

test("what the JSON leaves out reads back as the plan has it; unknown fields are dropped", () => {
  const plan = parsePlanJson(
    JSON.stringify({
      format_version: "1.0",
      resource_changes: [
        {
          address: "default/a",
          endpoint_id: "ep-1",
          action_reason: null,
          attribute_changes: [{ path: ["name"] }],
          change: { actions: ["no-op"], before: null, after: null },
        },
      ],
      summary: { add: 0, change: 0, destroy: 0 },
    }),
    "plan.json",
  );
  assert.equal(plan.resource_changes, [
    {
      address: "default/a",
      endpoint_id: "ep-1",
      action_reason: null,
      lifecycle: {},
      change: {
        actions: ["no-op"],
        before: null,
        after: null,
        after_unknown: {},
        replace_paths: [],
        patch: [],
      },
    } satisfies ResourceChange,
  ]);
  assert.equal(
    [plan.refreshed, plan.resource_drift, plan.warnings, plan.state, plan.plan_hash],
    [true, [], [], null, ""],
  );
});

test("readPlanFile reads a saved plan, and names a missing file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ark-sync-plan-json-"));
  try {
    const plan = planFor(cases[0] as never);
    const file = join(dir, "plan.json");
    await writeFile(file, renderPlanJson(plan));
    assert.equal(await readPlanFile(file), plan);
    const missing = join(dir, "missing.json");
    const error = await readPlanFile(missing).then(
      () => null,
      (reason: unknown) => reason,
    );
    assert.ok(error instanceof ArkSyncError, String(error));
    assert.is(error.code, "plan_file_unreadable");
    assert.is(error.message, `Could not read the plan file ${missing}: it does not exist`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
