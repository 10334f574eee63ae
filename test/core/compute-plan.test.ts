// Resource-level planning: create, update, replace, destroy, deleted outside, adoption, lifecycle,
// the empty-directory guard, planning without refresh, and moves (moved_from).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan, type PlanOptions } from "../../src/core/compute-plan.js";
import { computePlanHash } from "../../src/core/plan-hash.js";
import type {
  ActionReason,
  ChangeActions,
  DesiredEndpoint,
  LiveEndpoint,
  Plan,
  PlanSummary,
  ResourceChange,
  StateDocument,
} from "../../src/core/types.js";
import { applied, attrs, desired, live, state } from "./builders.js";

function only(plan: Plan): ResourceChange {
  assert.is(plan.resource_changes.length, 1);
  return plan.resource_changes[0] as ResourceChange;
}

test("in manifests, not in state: create, endpoint_id known after apply", () => {
  const plan = computePlan([desired(attrs())], null, []);
  const rc = only(plan);
  assert.equal(rc.change.actions, ["create"]);
  assert.is(rc.endpoint_id, null);
  assert.equal(rc.change.after_unknown, { endpoint_id: true });
  assert.equal(rc.change.after, attrs());
  assert.equal(plan.summary, { add: 1, change: 0, destroy: 0 });
  assert.is(plan.state, null);
});

test("a create whose name exists live, unmanaged, warns and suggests import", () => {
  const plan = computePlan([desired(attrs())], null, [live("ep-x", attrs({ description: "console" }))]);
  assert.equal(only(plan).change.actions, ["create"]);
  const warning = plan.warnings.find((w) => w.code === "duplicate_live_name");
  assert.ok(warning);
  assert.match(warning.message, "ark-sync import default/chat ep-x");
});

test("converged: no-op and an empty summary", () => {
  const plan = computePlan([desired(attrs())], state({ "default/chat": applied("ep-1", attrs()) }), [
    live("ep-1", attrs()),
  ]);
  assert.equal(only(plan).change.actions, ["no-op"]);
  assert.equal(plan.summary, { add: 0, change: 0, destroy: 0 });
  assert.equal(plan.resource_drift, []);
});

test("a rate_limit edit is an in-place update with an RFC 6902 patch", () => {
  const plan = computePlan(
    [desired(attrs({ rate_limit: { rpm: 20, tpm: 5 } }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  const rc = only(plan);
  assert.equal(rc.change.actions, ["update"]);
  assert.is(rc.action_reason, "update_in_place");
  assert.equal(rc.change.patch, [{ op: "replace", path: "/rate_limit/rpm", value: 20 }]);
  assert.equal(rc.change.replace_paths, []);
  assert.equal(plan.summary, { add: 0, change: 1, destroy: 0 });
});

test("drift is reported in its own section and the update restores the manifest's value", () => {
  const plan = computePlan([desired(attrs())], state({ "default/chat": applied("ep-1", attrs()) }), [
    live("ep-1", attrs({ rate_limit: { rpm: 99, tpm: 5 } })),
  ]);
  assert.equal(plan.resource_drift, [
    {
      address: "default/chat",
      endpoint_id: "ep-1",
      kind: "changed",
      changes: [{ path: ["rate_limit", "rpm"], last_applied: 10, live: 99 }],
    },
  ]);
  const rc = only(plan);
  assert.equal(rc.change.actions, ["update"]);
  assert.equal(rc.change.patch, [{ op: "replace", path: "/rate_limit/rpm", value: 10 }]);
});

test("a tag change forces a replacement, names the path and warns that endpoint_id changes", () => {
  const plan = computePlan(
    [desired(attrs({ tags: [] }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  const rc = only(plan);
  assert.equal(rc.change.actions, ["delete", "create"]);
  assert.equal(rc.change.replace_paths, [["tags", "env"]]);
  assert.equal(rc.change.after_unknown, { endpoint_id: true });
  assert.equal(plan.summary, { add: 1, change: 0, destroy: 1 });
  const warning = plan.warnings.find((w) => w.code === "endpoint_id_changes");
  assert.match(warning?.message ?? "", "endpoint_id ep-1 will change");
});

test("the worst field decides: an update field and a replace field together replace", () => {
  const plan = computePlan(
    [desired(attrs({ description: "new", model_unit_id: "mu-1" }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  const rc = only(plan);
  assert.equal(rc.change.actions, ["delete", "create"]);
  assert.equal(rc.change.replace_paths, [["model_unit_id"]]);
  assert.equal(
    rc.change.patch.map((operation) => operation.path),
    ["/description", "/model_unit_id"],
    "the update field is part of the replacement",
  );
});

test("lifecycle.create_before_destroy turns -/+ into +/-", () => {
  const plan = computePlan(
    [desired(attrs({ model_unit_id: "mu-1" }), { create_before_destroy: true })],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  assert.equal(only(plan).change.actions, ["create", "delete"]);
});

test("lifecycle.prevent_destroy makes a replacing plan fail, naming the endpoint", () => {
  const plan = computePlan(
    [desired(attrs({ model_unit_id: "mu-1" }), { prevent_destroy: true })],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  assert.is(plan.errors.length, 1);
  assert.is(plan.errors[0]?.code, "prevent_destroy");
  assert.is(plan.errors[0]?.address, "default/chat");
});

test("lifecycle.prevent_destroy is silent when nothing is destroyed", () => {
  const plan = computePlan(
    [desired(attrs({ description: "x" }), { prevent_destroy: true })],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  assert.equal(plan.errors, []);
});

test("lifecycle.ignore_changes leaves a drifted path alone", () => {
  const plan = computePlan(
    [desired(attrs(), { ignore_changes: ["rate_limit.rpm"] })],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs({ rate_limit: { rpm: 99, tpm: 5 } }))],
  );
  assert.equal(only(plan).change.actions, ["no-op"]);
  assert.equal(plan.resource_drift, []);
});

test("in state, no longer in manifests: destroy with its reason", () => {
  const plan = computePlan(
    [desired(attrs({ name: "other" }))],
    state({
      "default/chat": applied("ep-1", attrs()),
      "default/other": applied("ep-2", attrs({ name: "other" })),
    }),
    [live("ep-1", attrs()), live("ep-2", attrs({ name: "other" }))],
  );
  const destroy = plan.resource_changes.find((rc) => rc.address === "default/chat");
  assert.equal(destroy?.change.actions, ["delete"]);
  assert.is(destroy?.action_reason, "removed_from_manifests");
  assert.is(destroy?.change.after, null);
  assert.equal(plan.summary, { add: 0, change: 0, destroy: 1 });
});

test("in state, gone from Ark: drift 'deleted outside', then create", () => {
  const plan = computePlan([desired(attrs())], state({ "default/chat": applied("ep-1", attrs()) }), []);
  const rc = only(plan);
  assert.equal(rc.change.actions, ["create"]);
  assert.is(rc.action_reason, "deleted_outside");
  assert.equal(plan.resource_drift, [
    { address: "default/chat", endpoint_id: "ep-1", kind: "deleted", changes: [] },
  ]);
});

test("in state, gone from Ark and from the manifests: nothing to do, reported as deleted", () => {
  const plan = computePlan(
    [desired(attrs({ name: "keep" }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-9", attrs({ name: "keep" }))],
  );
  const rc = plan.resource_changes.find((r) => r.address === "default/chat");
  assert.equal(rc?.change.actions, ["no-op"]);
  assert.is(plan.resource_drift[0]?.kind, "deleted");
});

test("an endpoint tagged with our ownership tag but missing from state is adopted, not duplicated", () => {
  const plan = computePlan([desired(attrs())], null, [
    live("ep-7", attrs(), { owner_address: "default/chat" }),
  ]);
  const rc = only(plan);
  assert.equal(rc.change.actions, ["no-op"]);
  assert.is(rc.endpoint_id, "ep-7");
  assert.is(rc.action_reason, "adopted_by_ownership_tag");
});

test("an endpoint with our ownership tag that nothing tracks is warned about, naming how to adopt it", () => {
  const orphan = live("ep-9", attrs({ name: "old" }), { owner_address: "default/old" });
  const tracked = live("ep-1", attrs(), { owner_address: "default/chat" });
  const plan = computePlan([desired(attrs())], state({ "default/chat": applied("ep-1", attrs()) }), [
    tracked,
    orphan,
    live("ep-5", attrs({ name: "console-made" })),
  ]);
  const untracked = plan.warnings.filter((warning) => warning.code === "untracked_endpoint");
  assert.equal(
    untracked.map(({ address }) => address),
    ["default/old"],
  );
  assert.match(untracked[0]?.message ?? "", "ark-sync import default/old ep-9");
  assert.equal(plan.summary, { add: 0, change: 0, destroy: 0 }, "it is never destroyed or adopted by itself");

  const adopted = computePlan([desired(attrs({ name: "old" }))], null, [orphan]);
  assert.equal(
    adopted.warnings.map((warning) => warning.code),
    [],
    "a manifest for it adopts it instead",
  );
  const targeted = computePlan([desired(attrs())], null, [orphan], { targets: ["default/chat"] });
  assert.not.ok(
    targeted.warnings.some((warning) => warning.code === "untracked_endpoint"),
    "outside --target",
  );
  const unrefreshed = computePlan([], state({ "default/chat": applied("ep-1", attrs()) }), null, {
    allowEmpty: true,
  });
  assert.not.ok(unrefreshed.warnings.some((warning) => warning.code === "untracked_endpoint"));
});

test("an endpoint a DryRun left is named in a warning, never adopted, and not taken for a namesake", () => {
  // What mapping.ts makes of an endpoint with the DryRun marker: no owner, whatever ownership tags it has.
  const leftover = live("ep-3", attrs(), { dry_run_id: "run-1" });
  const plan = computePlan([desired(attrs())], null, [leftover]);
  assert.equal(only(plan).change.actions, ["create"], "planned as if it were not there");
  assert.equal(
    plan.warnings.map((warning) => warning.code),
    ["dry_run_leftover"],
  );
  assert.match(
    plan.warnings[0]?.message ?? "",
    "ep-3 (default/chat) carries ark-sync's DryRun marker (ark-sync:dry-run=run-1)",
  );
  assert.match(plan.warnings[0]?.message ?? "", "delete it in the Ark console");
  const empty = computePlan([], null, [leftover], { allowEmpty: true });
  assert.equal(
    empty.warnings.map((warning) => warning.code),
    ["dry_run_leftover"],
    "whatever the manifests plan",
  );
  assert.equal(empty.summary, { add: 0, change: 0, destroy: 0 }, "never destroyed by itself");
});

test("an endpoint another state owns is never adopted or changed: a create beside it, saying why", () => {
  const ours = state({});
  const foreign = live("ep-8", attrs(), { owner_address: "default/chat", owner_state: "another-lineage" });
  for (const lastApplied of [ours, null]) {
    const plan = computePlan([desired(attrs())], lastApplied, [foreign]);
    const rc = only(plan);
    assert.equal(rc.change.actions, ["create"]);
    assert.is(rc.endpoint_id, null);
    assert.equal(
      plan.warnings.map((warning) => warning.code),
      ["owned_by_another_state"],
      "the generic same-name warning gives way to the ownership one",
    );
    assert.match(
      plan.warnings[0]?.message ?? "",
      "ep-8 carries the ownership tag of default/chat for another state",
    );
    assert.match(plan.warnings[0]?.message ?? "", "ark-sync import default/chat ep-8");
  }

  const mine = live("ep-8", attrs(), { owner_address: "default/chat", owner_state: ours.lineage });
  assert.is(only(computePlan([desired(attrs())], ours, [mine])).action_reason, "adopted_by_ownership_tag");
  const untracked = computePlan([], ours, [foreign], { allowEmpty: true });
  assert.equal(untracked.warnings, [], "another state's endpoint is not this state's untracked endpoint");
});

test("imported (no last-applied): only manifest paths enforced, with a warning about removals", () => {
  const plan = computePlan(
    [desired(attrs({ rate_limit: { rpm: 20 } }))],
    state({ "default/chat": applied("ep-1", null) }),
    [
      live(
        "ep-1",
        attrs({
          description: "console",
          tags: [
            { key: "env", value: "prod" },
            { key: "x", value: "y" },
          ],
        }),
      ),
    ],
  );
  const rc = only(plan);
  assert.equal(rc.change.actions, ["update"]);
  assert.equal(
    rc.change.patch,
    [{ op: "replace", path: "/rate_limit/rpm", value: 20 }],
    "tpm, description and the extra tag are not removed",
  );
  assert.ok(plan.warnings.some((w) => w.code === "no_last_applied"));
  assert.equal(
    plan.unmanaged.map((u) => u.path.join(".")),
    ["description", "rate_limit.tpm", "tags.x"],
  );
});

test("Abnormal, Failed and Stopped endpoints carry a warning; Running and Scheduling do not", () => {
  for (const status of ["Abnormal", "Failed", "Stopped", "Running", "Scheduling"]) {
    const plan = computePlan([desired(attrs())], state({ "default/chat": applied("ep-1", attrs()) }), [
      live("ep-1", attrs(), { status, status_reason: "quota exhausted" }),
    ]);
    const warning = plan.warnings.find((w) => w.code === "endpoint_status");
    if (status === "Running" || status === "Scheduling") assert.is(warning, undefined, status);
    else assert.match(warning?.message ?? "", `is ${status}: quota exhausted`);
  }
});

test("empty manifests that would destroy everything are refused unless allowed", () => {
  const prior = state({ "default/chat": applied("ep-1", attrs()) });
  const refused = computePlan([], prior, [live("ep-1", attrs())]);
  assert.equal(
    refused.errors.map((e) => e.code),
    ["empty_manifests"],
  );
  const allowed = computePlan([], prior, [live("ep-1", attrs())], { allowEmpty: true });
  assert.equal(allowed.errors, []);
  assert.equal(allowed.summary.destroy, 1);
});

test("--refresh=false plans against last-applied only", () => {
  const prior = state({
    "default/chat": applied("ep-1", attrs()),
    "default/imported": applied("ep-2", null),
  });
  const plan = computePlan(
    [desired(attrs({ rate_limit: { rpm: 20, tpm: 5 } })), desired(attrs({ name: "imported" }))],
    prior,
    null,
  );
  assert.is(plan.refreshed, false);
  assert.equal(plan.resource_changes[0]?.change.actions, ["update"]);
  assert.equal(plan.resource_changes[1]?.change.actions, ["no-op"]);
  assert.ok(plan.warnings.some((w) => w.code === "live_unknown_without_refresh"));
  assert.equal(plan.state, { lineage: prior.lineage, serial: 7 });
});

test("--target limits the plan and says so", () => {
  const plan = computePlan([desired(attrs()), desired(attrs({ name: "b" }))], null, [], {
    targets: ["default/b"],
  });
  assert.equal(
    plan.resource_changes.map((rc) => rc.address),
    ["default/b"],
  );
  assert.is(plan.warnings[0]?.code, "targeting");
});

test("output is sorted by address and the hash ignores input order", () => {
  const endpoints = ["zeta", "alpha", "mid"].map((name) => desired(attrs({ name })));
  const a = computePlan(endpoints, null, []);
  const b = computePlan([...endpoints].reverse(), null, []);
  assert.equal(
    a.resource_changes.map((rc) => rc.address),
    ["default/alpha", "default/mid", "default/zeta"],
  );
  assert.is(a.plan_hash, b.plan_hash);
  assert.match(a.plan_hash, /^sha256:[0-9a-f]{64}$/);
  const c = computePlan(endpoints.slice(1), null, []);
  assert.is.not(a.plan_hash, c.plan_hash);
});

test("the plan is JSON-serialisable without loss", () => {
  const plan = computePlan(
    [desired(attrs({ description: "x" }))],
    state({ "default/chat": applied("ep-1", attrs()) }),
    [live("ep-1", attrs())],
  );
  assert.equal(JSON.parse(JSON.stringify(plan)), plan);
});

// ---------------------------------------------------------------------------------------------
// moved_from: a renamed endpoint continues the state record of its old address

function moved(endpoint: DesiredEndpoint, from: string): DesiredEndpoint {
  return { ...endpoint, moved_from: from };
}

interface MoveCase {
  name: string;
  desired: DesiredEndpoint[];
  lastApplied: StateDocument | null;
  live: LiveEndpoint[] | null;
  options?: PlanOptions;
  /** Every resource change, in plan order. */
  expect: {
    address: string;
    previous_address?: string;
    actions: ChangeActions;
    endpoint_id: string | null;
    action_reason: ActionReason | null;
  }[];
  summary: PlanSummary;
}

const chatState = state({ "default/chat": applied("ep-1", attrs()) });

const moveCases: MoveCase[] = [
  {
    name: "a rename is an in-place update of the same endpoint, nothing destroyed",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: chatState,
    live: [live("ep-1", attrs())],
    expect: [
      {
        address: "default/chat-v2",
        previous_address: "default/chat",
        actions: ["update"],
        endpoint_id: "ep-1",
        action_reason: "update_in_place",
      },
    ],
    summary: { add: 0, change: 1, destroy: 0 },
  },
  {
    name: "a move to another project still replaces: project_name cannot change in place",
    desired: [moved(desired(attrs({ project_name: "team-a" })), "default/chat")],
    lastApplied: chatState,
    live: [live("ep-1", attrs())],
    expect: [
      {
        address: "team-a/chat",
        previous_address: "default/chat",
        actions: ["delete", "create"],
        endpoint_id: "ep-1",
        action_reason: "replace_because_cannot_update",
      },
    ],
    summary: { add: 1, change: 0, destroy: 1 },
  },
  {
    name: "a move already applied (the state has the new address) is ignored: no-op",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: state({ "default/chat-v2": applied("ep-1", attrs({ name: "chat-v2" })) }),
    live: [live("ep-1", attrs({ name: "chat-v2" }))],
    expect: [{ address: "default/chat-v2", actions: ["no-op"], endpoint_id: "ep-1", action_reason: null }],
    summary: { add: 0, change: 0, destroy: 0 },
  },
  {
    name: "a move from an address the state does not know is ignored: create",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: state({}),
    live: [],
    expect: [
      {
        address: "default/chat-v2",
        actions: ["create"],
        endpoint_id: null,
        action_reason: "new_in_manifests",
      },
    ],
    summary: { add: 1, change: 0, destroy: 0 },
  },
  {
    name: "renamed live already (outside ark-sync): the move alone, a no-op that still names it",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: chatState,
    live: [live("ep-1", attrs({ name: "chat-v2" }))],
    expect: [
      {
        address: "default/chat-v2",
        previous_address: "default/chat",
        actions: ["no-op"],
        endpoint_id: "ep-1",
        action_reason: null,
      },
    ],
    summary: { add: 0, change: 0, destroy: 0 },
  },
  {
    name: "moved from an endpoint deleted outside ark-sync: created again, the old record moved",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: chatState,
    live: [],
    expect: [
      {
        address: "default/chat-v2",
        previous_address: "default/chat",
        actions: ["create"],
        endpoint_id: null,
        action_reason: "deleted_outside",
      },
    ],
    summary: { add: 1, change: 0, destroy: 0 },
  },
  {
    name: "without refresh the rename is planned against last-applied",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: chatState,
    live: null,
    expect: [
      {
        address: "default/chat-v2",
        previous_address: "default/chat",
        actions: ["update"],
        endpoint_id: "ep-1",
        action_reason: "update_in_place",
      },
    ],
    summary: { add: 0, change: 1, destroy: 0 },
  },
  {
    name: "two manifests moving from one address: no move is guessed (validation rejects it)",
    desired: [
      moved(desired(attrs({ name: "chat-a" })), "default/chat"),
      moved(desired(attrs({ name: "chat-b" })), "default/chat"),
    ],
    lastApplied: chatState,
    live: [live("ep-1", attrs())],
    expect: [
      {
        address: "default/chat",
        actions: ["delete"],
        endpoint_id: "ep-1",
        action_reason: "removed_from_manifests",
      },
      {
        address: "default/chat-a",
        actions: ["create"],
        endpoint_id: null,
        action_reason: "new_in_manifests",
      },
      {
        address: "default/chat-b",
        actions: ["create"],
        endpoint_id: null,
        action_reason: "new_in_manifests",
      },
    ],
    summary: { add: 2, change: 0, destroy: 1 },
  },
  {
    name: "a move from an address a manifest still has is no move (validation rejects it)",
    desired: [desired(attrs()), moved(desired(attrs({ name: "chat-v2" })), "default/chat")],
    lastApplied: chatState,
    live: [live("ep-1", attrs())],
    expect: [
      { address: "default/chat", actions: ["no-op"], endpoint_id: "ep-1", action_reason: null },
      {
        address: "default/chat-v2",
        actions: ["create"],
        endpoint_id: null,
        action_reason: "new_in_manifests",
      },
    ],
    summary: { add: 1, change: 0, destroy: 0 },
  },
  {
    name: "--target with the old address still plans the move",
    desired: [moved(desired(attrs({ name: "chat-v2" })), "default/chat"), desired(attrs({ name: "other" }))],
    lastApplied: chatState,
    live: [live("ep-1", attrs())],
    options: { targets: ["default/chat"] },
    expect: [
      {
        address: "default/chat-v2",
        previous_address: "default/chat",
        actions: ["update"],
        endpoint_id: "ep-1",
        action_reason: "update_in_place",
      },
    ],
    summary: { add: 0, change: 1, destroy: 0 },
  },
  {
    name: "summary counts: a rename, a project move and a create together",
    desired: [
      moved(desired(attrs({ name: "chat-v2" })), "default/chat"),
      moved(desired(attrs({ name: "search", project_name: "team-a" })), "default/search"),
      desired(attrs({ name: "new" })),
    ],
    lastApplied: state({
      "default/chat": applied("ep-1", attrs()),
      "default/search": applied("ep-2", attrs({ name: "search" })),
    }),
    live: [live("ep-1", attrs()), live("ep-2", attrs({ name: "search" }))],
    expect: [
      {
        address: "default/chat-v2",
        previous_address: "default/chat",
        actions: ["update"],
        endpoint_id: "ep-1",
        action_reason: "update_in_place",
      },
      { address: "default/new", actions: ["create"], endpoint_id: null, action_reason: "new_in_manifests" },
      {
        address: "team-a/search",
        previous_address: "default/search",
        actions: ["delete", "create"],
        endpoint_id: "ep-2",
        action_reason: "replace_because_cannot_update",
      },
    ],
    summary: { add: 2, change: 1, destroy: 1 },
  },
];

for (const c of moveCases) {
  test(`moved_from: ${c.name}`, () => {
    const plan = computePlan(c.desired, c.lastApplied, c.live, c.options);
    assert.equal(
      plan.resource_changes.map((rc) => ({
        address: rc.address,
        ...(rc.previous_address === undefined ? {} : { previous_address: rc.previous_address }),
        actions: rc.change.actions,
        endpoint_id: rc.endpoint_id,
        action_reason: rc.action_reason,
      })),
      c.expect,
    );
    assert.equal(plan.summary, c.summary);
  });
}

test("moved_from: a rename changes only the name, with its patch, and keeps last-applied for the diff", () => {
  const plan = computePlan(
    [moved(desired(attrs({ name: "chat-v2", description: "new" })), "default/chat")],
    chatState,
    [live("ep-1", attrs({ rate_limit: { rpm: 99, tpm: 5 } }))],
  );
  const rc = only(plan);
  assert.equal(rc.change.replace_paths, []);
  assert.equal(
    [...rc.change.patch].sort((a, b) => (a.path < b.path ? -1 : 1)),
    [
      { op: "add", path: "/description", value: "new" },
      { op: "replace", path: "/name", value: "chat-v2" },
      { op: "replace", path: "/rate_limit/rpm", value: 10 },
    ],
  );
  assert.equal(rc.change.actions, ["update"], "name, description and rate_limit all change in place");
  assert.equal(plan.resource_drift, [
    {
      address: "default/chat-v2",
      endpoint_id: "ep-1",
      kind: "changed",
      changes: [{ path: ["rate_limit", "rpm"], last_applied: 10, live: 99 }],
    },
  ]);
});

test("moved_from: a project move names project_name as forcing the replacement", () => {
  const plan = computePlan(
    [moved(desired(attrs({ project_name: "team-a" }), { prevent_destroy: true }), "default/chat")],
    chatState,
    [live("ep-1", attrs())],
  );
  assert.equal(only(plan).change.replace_paths, [["project_name"]]);
  assert.ok(plan.warnings.some((w) => w.code === "endpoint_id_changes" && w.address === "team-a/chat"));
  assert.equal(
    plan.errors.map((e) => [e.code, e.address]),
    [["prevent_destroy", "team-a/chat"]],
  );
});

test("moved_from: the old address's ownership tag never makes a new endpoint there adopt the moved one", () => {
  // chat was created (tagged default/chat), then renamed to chat-v2; now a new default/chat is wanted.
  const plan = computePlan(
    [desired(attrs()), desired(attrs({ name: "chat-v2" }))],
    state({ "default/chat-v2": applied("ep-1", attrs({ name: "chat-v2" })) }),
    [live("ep-1", attrs({ name: "chat-v2" }), { owner_address: "default/chat" })],
  );
  const created = plan.resource_changes.find((rc) => rc.address === "default/chat");
  assert.equal(created?.change.actions, ["create"]);
  assert.is(created?.action_reason, "new_in_manifests");
  assert.equal(plan.summary, { add: 1, change: 0, destroy: 0 });
});

test("moved_from: the plan hash covers previous_address; inputs are untouched", () => {
  const input = [moved(desired(attrs({ name: "chat-v2" })), "default/chat")];
  const before = structuredClone({ input, chatState });
  const plan = computePlan(input, chatState, [live("ep-1", attrs())]);
  assert.equal({ input, chatState }, before);
  const { plan_hash: hash, ...content } = plan;
  const unmoved = structuredClone(content);
  delete unmoved.resource_changes[0]?.previous_address;
  assert.is(computePlanHash(content), hash);
  assert.is.not(computePlanHash(unmoved), hash);
});

test.run();
