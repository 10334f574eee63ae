// `ark-sync refresh` accepts drift: live values of managed paths become last-applied, and the next
// plan reports no drift (while a manifest that differs from live still plans a change).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { acceptDrift } from "../../src/core/accept-drift.js";
import { computePlan } from "../../src/core/compute-plan.js";
import { applied, attrs, desired, live, state } from "./builders.js";

test("managed paths take the live value; live-only values stay unmanaged; gone endpoints are forgotten", () => {
  const resources = {
    "default/chat": applied("ep-1", attrs()),
    "default/gone": applied("ep-2", attrs({ name: "gone" })),
    "default/imported": applied("ep-3", null),
  };
  const drifted = attrs({
    rate_limit: { rpm: 99 },
    description: "console",
    tags: [{ key: "env", value: "dev" }],
  });
  const result = acceptDrift(resources, [live("ep-1", drifted), live("ep-3", attrs({ name: "imported" }))]);
  assert.equal(
    result.drift.map((d) => [d.address, d.kind]),
    [
      ["default/chat", "changed"],
      ["default/gone", "deleted"],
    ],
  );
  assert.equal(
    result.drift[0]?.changes.map((c) => [c.path.join("."), c.last_applied, c.live]),
    [
      ["rate_limit.rpm", 10, 99],
      ["rate_limit.tpm", 5, undefined],
      ["tags.env", "prod", "dev"],
    ],
  );
  assert.is(result.resources["default/gone"], undefined, "gone from Ark: forgotten");
  assert.equal(result.resources["default/chat"]?.last_applied, {
    ...attrs({ rate_limit: { rpm: 99 }, tags: [{ key: "env", value: "dev" }] }),
  });
  assert.is(
    result.resources["default/imported"],
    resources["default/imported"],
    "no last-applied: untouched",
  );
  assert.equal(resources["default/chat"].last_applied, attrs(), "input untouched");

  const imported = attrs({ name: "imported" });
  const manifest = attrs({ rate_limit: { rpm: 99 }, tags: [{ key: "env", value: "dev" }] });
  const after = computePlan([desired(manifest), desired(imported)], state(result.resources), [
    live("ep-1", drifted),
    live("ep-3", imported),
  ]);
  assert.equal(after.resource_drift, []);
  assert.equal(
    after.unmanaged.map((u) => u.path.join(".")),
    ["description"],
  );
});

test("no drift: nothing updated", () => {
  const resources = { "default/chat": applied("ep-1", attrs()) };
  const result = acceptDrift(resources, [live("ep-1", attrs())]);
  assert.equal(result.drift, []);
  assert.is(result.resources["default/chat"], resources["default/chat"]);
});

test.run();
