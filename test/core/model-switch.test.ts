// Planning a new model on an existing endpoint: Ark's rolling switch where it can, a replacement
// (saying why) where it cannot, the manifest's lifecycle.model_switch, and a switch someone else runs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type { Lifecycle, LiveEndpoint, ModelReference } from "../../src/core/types.js";
import { applied, attrs, desired, live, state } from "./builders.js";

const ID = "ep-20261101000000-abcde";
const bumped: ModelReference = { foundation_model: { name: "doubao-1-5-pro-32k", model_version: "250415" } };

function planBump(
  liveExtra: Partial<LiveEndpoint>,
  lifecycle: Lifecycle = {},
  target: ModelReference = bumped,
  refreshed = true,
) {
  return computePlan(
    [desired(attrs({ model_reference: target }), lifecycle)],
    state({ "default/chat": applied(ID, attrs()) }),
    refreshed ? [live(ID, attrs(), liveExtra)] : null,
  );
}

test("a version bump on an endpoint that supports rolling is an in-place update keeping the id", () => {
  const plan = planBump({ support_rolling: true });
  const [change] = plan.resource_changes;
  assert.equal(change?.change.actions, ["update"]);
  assert.equal(change?.model_switch, { method: "rolling" });
  assert.equal(change?.change.replace_paths, []);
  assert.equal(change?.change.after?.model_reference, bumped);
  assert.equal(change?.change.after_unknown, {});
  assert.equal(plan.summary, { add: 0, change: 1, destroy: 0 });
  assert.not.ok(plan.warnings.some((warning) => warning.code === "endpoint_id_changes"));
});

test("a foundation model name change rolls too (Ark has switched …-mini to …-lite in place)", () => {
  const other: ModelReference = {
    foundation_model: { name: "doubao-seed-1-6-lite", model_version: "250428" },
  };
  const plan = planBump({ support_rolling: true }, {}, other);
  assert.equal(plan.resource_changes[0]?.model_switch, { method: "rolling" });
});

test("SupportRolling false: a replacement that says why, in the plan and the warning", () => {
  const plan = planBump({ support_rolling: false });
  const [change] = plan.resource_changes;
  assert.equal(change?.change.actions, ["delete", "create"]);
  assert.equal(change?.model_switch, { method: "replace", reason: "support_rolling_false" });
  assert.equal(change?.change.replace_paths, [["model_reference", "foundation_model", "model_version"]]);
  const warning = plan.warnings.find((w) => w.code === "endpoint_id_changes");
  assert.match(warning?.message ?? "", `Ark reports SupportRolling false for ${ID}`);
});

test("SupportRolling unknown, or no refresh: a replacement, unless the manifest asks to roll", () => {
  assert.equal(planBump({}).resource_changes[0]?.model_switch, {
    method: "replace",
    reason: "support_rolling_unknown",
  });
  const unrefreshed = planBump({ support_rolling: true }, {}, bumped, false);
  assert.equal(unrefreshed.resource_changes[0]?.change.actions, ["delete", "create"]);
  const forced = planBump({}, { model_switch: "rolling" });
  assert.equal(forced.resource_changes[0]?.change.actions, ["update"]);
  assert.equal(forced.errors, []);
});

test("custom models and foundation ↔ custom cannot roll", () => {
  const toCustom = planBump({ support_rolling: true }, {}, { custom_model_id: "cm-1" });
  assert.equal(toCustom.resource_changes[0]?.model_switch, { method: "replace", reason: "custom_model" });
  const fromCustom = computePlan(
    [desired(attrs({ model_reference: { custom_model_id: "cm-2" } }))],
    state({ "default/chat": applied(ID, attrs({ model_reference: { custom_model_id: "cm-1" } })) }),
    [live(ID, attrs({ model_reference: { custom_model_id: "cm-1" } }), { support_rolling: true })],
  );
  assert.equal(fromCustom.resource_changes[0]?.change.actions, ["delete", "create"]);
  assert.equal(fromCustom.resource_changes[0]?.model_switch, { method: "replace", reason: "custom_model" });
});

test("lifecycle.model_switch: replace replaces even where Ark could roll", () => {
  const plan = planBump({ support_rolling: true }, { model_switch: "replace" });
  assert.equal(plan.resource_changes[0]?.change.actions, ["delete", "create"]);
  assert.equal(plan.resource_changes[0]?.model_switch, { method: "replace", reason: "lifecycle_replace" });
});

test("lifecycle.model_switch: rolling where Ark cannot roll fails the plan, naming the manifest", () => {
  const plan = planBump({ support_rolling: false }, { model_switch: "rolling" });
  assert.equal(plan.errors.length, 1);
  assert.equal(plan.errors[0]?.code, "model_switch_impossible");
  assert.match(plan.errors[0]?.message ?? "", "manifests/chat.yaml");
  assert.match(plan.errors[0]?.message ?? "", "SupportRolling false");
});

test("a rolling switch is moot when another attribute replaces the endpoint anyway", () => {
  const plan = computePlan(
    [desired(attrs({ model_reference: bumped, tags: [{ key: "env", value: "staging" }] }))],
    state({ "default/chat": applied(ID, attrs()) }),
    [live(ID, attrs(), { support_rolling: true })],
  );
  const [change] = plan.resource_changes;
  assert.equal(change?.change.actions, ["delete", "create"]);
  assert.equal(change?.model_switch, undefined);
  assert.equal(
    change?.change.replace_paths.map((path) => path[0]),
    ["tags"],
  );
});

test("a switch someone else started is never fought: no change, a warning, drift still shown", () => {
  const plan = computePlan(
    [desired(attrs({ model_reference: bumped, rate_limit: { rpm: 99, tpm: 5 } }))],
    state({ "default/chat": applied(ID, attrs()) }),
    [
      live(ID, attrs({ rate_limit: { rpm: 10, tpm: 7 } }), {
        support_rolling: true,
        rolling_id: "eprol-1",
      }),
    ],
  );
  const [change] = plan.resource_changes;
  assert.equal(change?.change.actions, ["no-op"]);
  assert.equal(change?.change.patch, []);
  assert.equal(plan.summary, { add: 0, change: 0, destroy: 0 });
  const warning = plan.warnings.find((w) => w.code === "model_switch_in_progress");
  assert.match(warning?.message ?? "", "eprol-1");
  assert.equal(plan.resource_drift.length, 1);
});

test("moderation changes in place", () => {
  const plan = computePlan(
    [desired(attrs({ moderation: { strategy: "Basic" } }))],
    state({ "default/chat": applied(ID, attrs({ moderation: { strategy: "Default" } })) }),
    [live(ID, attrs({ moderation: { strategy: "Default" } }))],
  );
  assert.equal(plan.resource_changes[0]?.change.actions, ["update"]);
  assert.equal(plan.resource_changes[0]?.change.patch, [
    { op: "replace", path: "/moderation/strategy", value: "Basic" },
  ]);
});

test.run();
