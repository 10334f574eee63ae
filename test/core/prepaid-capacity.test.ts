// A destroy or replacement of an endpoint that holds prepaid capacity (a model unit, a TPM guarantee
// package) says so on the change and in a warning (docs/ark-api.md, Prepaid capacity); nothing else does.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type { DesiredEndpoint, LiveEndpoint, PrepaidCapacity, StateDocument } from "../../src/core/types.js";
import { applied, attrs, desired, live, state } from "./builders.js";

interface Case {
  name: string;
  desired: DesiredEndpoint[];
  lastApplied: StateDocument | null;
  live: LiveEndpoint[] | null;
  expect: { capacity?: PrepaidCapacity; message?: string[] };
}

const held = attrs({ model_unit_id: "mu-2026-a" });
const record = state({ "default/chat": applied("ep-1", held) });

const cases: Case[] = [
  {
    name: "a destroy of an endpoint with a model unit and a TPM guarantee package",
    desired: [],
    lastApplied: record,
    live: [live("ep-1", held, { scale_tier_id: "st-9" })],
    expect: {
      capacity: { model_unit_id: "mu-2026-a", scale_tier_id: "st-9" },
      message: [
        "default/chat (ep-1) holds prepaid capacity (model unit mu-2026-a, TPM guarantee package st-9): destroying it releases that capacity from the endpoint.",
        "check it in the Ark console before applying",
      ],
    },
  },
  {
    name: "a replacement that keeps the model unit: the new endpoint names it, the package does not follow",
    desired: [desired(attrs({ model_unit_id: "mu-2026-a", tags: [] }))],
    lastApplied: record,
    live: [live("ep-1", held, { scale_tier_id: "st-9" })],
    expect: {
      capacity: { model_unit_id: "mu-2026-a", scale_tier_id: "st-9" },
      message: [
        "replacing it destroys the endpoint, which releases that capacity.",
        "The new endpoint is created with model unit mu-2026-a.",
        "The TPM guarantee package does not follow: CreateEndpoint has no field for it.",
      ],
    },
  },
  {
    name: "create_before_destroy: the new endpoint asks for the unit the old one still holds",
    desired: [desired(attrs({ model_unit_id: "mu-2026-a", tags: [] }), { create_before_destroy: true })],
    lastApplied: record,
    live: [live("ep-1", held)],
    expect: {
      capacity: { model_unit_id: "mu-2026-a" },
      message: ["The new endpoint is created with model unit mu-2026-a, while the old one still holds it."],
    },
  },
  {
    name: "model_unit_id removed from the manifest: the replacement is post-paid",
    desired: [desired(attrs())],
    lastApplied: record,
    live: [live("ep-1", held)],
    expect: {
      capacity: { model_unit_id: "mu-2026-a" },
      message: ["The new endpoint is created without a model unit (post-paid)."],
    },
  },
  {
    name: "--refresh=false: the last-applied model unit",
    desired: [],
    lastApplied: record,
    live: null,
    expect: { capacity: { model_unit_id: "mu-2026-a" } },
  },
  {
    name: "an in-place update of an endpoint holding capacity releases nothing",
    desired: [desired(attrs({ model_unit_id: "mu-2026-a", description: "new" }))],
    lastApplied: record,
    live: [live("ep-1", held, { scale_tier_id: "st-9" })],
    expect: {},
  },
  {
    name: "a destroy of a post-paid endpoint holds nothing",
    desired: [],
    lastApplied: state({ "default/chat": applied("ep-1", attrs()) }),
    live: [live("ep-1", attrs())],
    expect: {},
  },
  {
    name: "a create holds nothing yet",
    desired: [desired(held)],
    lastApplied: null,
    live: [],
    expect: {},
  },
];

for (const c of cases) {
  test(c.name, () => {
    const plan = computePlan(c.desired, c.lastApplied, c.live);
    const [change] = plan.resource_changes;
    const warnings = plan.warnings.filter((warning) => warning.code === "prepaid_capacity");
    assert.equal(change?.prepaid_capacity, c.expect.capacity);
    if (c.expect.capacity === undefined) {
      assert.equal(warnings, []);
      return;
    }
    assert.is(warnings.length, 1);
    assert.is(warnings[0]?.address, "default/chat");
    for (const part of c.expect.message ?? []) assert.match(warnings[0]?.message ?? "", part);
  });
}

test("the plan hash does not cover it: what the plan does is the same", () => {
  const without = computePlan([], record, [live("ep-1", held)]);
  const withTier = computePlan([], record, [live("ep-1", held, { scale_tier_id: "st-9" })]);
  assert.is(withTier.plan_hash, without.plan_hash);
});

test.run();
