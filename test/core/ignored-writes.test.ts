// The next plan after Ark ignored a write (src/core/ignored-writes.ts), one row per rule: it never sends
// the ignored write again, says what it does instead, and fails when no write is left.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type {
  ChangeActions,
  EndpointAttributes,
  IgnoredWrite,
  Lifecycle,
  PlanErrorCode,
  PlanWarningCode,
} from "../../src/core/types.js";
import { applied, attrs, desired, live, state } from "./builders.js";

const at = "2026-12-01T00:00:00.000Z";
const basic = { moderation: { strategy: "Basic" as const } };
const byDefault = { moderation: { strategy: "Default" as const } };
const moderation = (action: IgnoredWrite["action"]): IgnoredWrite => ({
  path: ["moderation", "strategy"],
  action,
  sent: "Basic",
  held: "Default",
  at,
});

interface Row {
  name: string;
  desired: EndpointAttributes;
  lifecycle?: Lifecycle;
  /** Last applied and live: Ark holds what it held when read back. */
  held: EndpointAttributes;
  records: IgnoredWrite[];
  /** Planned with --refresh=false. */
  offline?: boolean;
  expect: {
    actions: ChangeActions;
    replacePaths?: string[];
    warnings: PlanWarningCode[];
    errors?: PlanErrorCode[];
    noLongerManaged?: string[];
  };
}

const rows: Row[] = [
  {
    name: "UpdateEndpoint ignored a value: a change to it replaces the endpoint, with a warning",
    desired: attrs(basic),
    held: attrs(byDefault),
    records: [moderation("UpdateEndpoint")],
    expect: {
      actions: ["delete", "create"],
      replacePaths: ["moderation.strategy"],
      warnings: ["write_ignored", "endpoint_id_changes"],
    },
  },
  {
    name: "the same without reading Ark (--refresh=false)",
    desired: attrs(basic),
    held: attrs(byDefault),
    records: [moderation("UpdateEndpoint")],
    offline: true,
    expect: {
      actions: ["delete", "create"],
      replacePaths: ["moderation.strategy"],
      warnings: ["write_ignored", "endpoint_id_changes"],
    },
  },
  {
    name: "CreateEndpoint ignored a value UpdateEndpoint takes: it is set in place, with a warning",
    desired: attrs(basic),
    held: attrs(byDefault),
    records: [moderation("CreateEndpoint")],
    expect: { actions: ["update"], warnings: ["write_ignored"] },
  },
  {
    name: "both ignored it: no write is left, the plan fails",
    desired: attrs(basic),
    held: attrs(byDefault),
    records: [moderation("CreateEndpoint"), moderation("UpdateEndpoint")],
    expect: { actions: ["update"], warnings: [], errors: ["value_not_writable"] },
  },
  {
    name: "CreateEndpoint ignored a create-only value (a tag): a replacement would be ignored too, the plan fails",
    desired: attrs({ tags: [{ key: "env", value: "prod" }] }),
    held: attrs({ tags: [{ key: "env", value: "Prod" }] }),
    records: [{ path: ["tags", "env"], action: "CreateEndpoint", sent: "prod", held: "Prod", at }],
    expect: {
      actions: ["delete", "create"],
      replacePaths: ['tags["env"]'],
      warnings: ["endpoint_id_changes"],
      errors: ["value_not_writable"],
    },
  },
  {
    name: "UpdateEndpoint ignored a reset (description): its removal keeps it live, no longer managed",
    desired: attrs(),
    held: attrs({ description: "kept" }),
    records: [{ path: ["description"], action: "UpdateEndpoint", held: "kept", at }],
    expect: { actions: ["no-op"], warnings: ["write_ignored"], noLongerManaged: ["description"] },
  },
  {
    name: "the manifest now asks for what Ark holds: nothing to write, nothing said",
    desired: attrs(byDefault),
    held: attrs(byDefault),
    records: [moderation("UpdateEndpoint")],
    expect: { actions: ["no-op"], warnings: [] },
  },
  {
    name: "a record for another value changes nothing here",
    desired: attrs({ ...byDefault, description: "new" }),
    held: attrs(byDefault),
    records: [moderation("UpdateEndpoint")],
    expect: { actions: ["update"], warnings: [] },
  },
  {
    name: "prevent_destroy still refuses the replacement an ignored UpdateEndpoint leads to",
    desired: attrs(basic),
    lifecycle: { prevent_destroy: true },
    held: attrs(byDefault),
    records: [moderation("UpdateEndpoint")],
    expect: {
      actions: ["delete", "create"],
      replacePaths: ["moderation.strategy"],
      warnings: ["write_ignored", "endpoint_id_changes"],
      errors: ["prevent_destroy"],
    },
  },
];

for (const row of rows) {
  test(row.name, () => {
    const recorded = { ...applied("ep-1", row.held), ignored_writes: row.records };
    const inputs = structuredClone({ d: row.desired, r: recorded });
    const plan = computePlan(
      [desired(row.desired, row.lifecycle)],
      state({ "default/chat": recorded }),
      row.offline ? null : [live("ep-1", row.held)],
    );
    const [change] = plan.resource_changes;
    assert.equal(change?.change.actions, row.expect.actions);
    assert.equal(
      change?.change.replace_paths.map((path) =>
        path[0] === "tags" ? `tags[${JSON.stringify(path[1])}]` : path.join("."),
      ),
      row.expect.replacePaths ?? [],
    );
    assert.equal(
      plan.warnings.map((warning) => warning.code),
      row.expect.warnings,
    );
    assert.equal(
      plan.errors.map((error) => error.code),
      row.expect.errors ?? [],
    );
    assert.equal(
      plan.no_longer_managed.map((entry) => entry.path.join(".")),
      row.expect.noLongerManaged ?? [],
    );
    assert.equal({ d: row.desired, r: recorded }, inputs, "inputs are never mutated");
  });
}

test("the warning names the value, what Ark holds, what was sent and how to keep the endpoint", () => {
  const plan = computePlan(
    [desired(attrs(basic))],
    state({
      "default/chat": {
        ...applied("ep-1", attrs(byDefault)),
        ignored_writes: [moderation("UpdateEndpoint")],
      },
    }),
    [live("ep-1", attrs(byDefault))],
  );
  const warning = plan.warnings.find((entry) => entry.code === "write_ignored");
  assert.is(
    warning?.message,
    `Ark accepted UpdateEndpoint of moderation.strategy for ep-1 but kept "Default" (ark-sync sent "Basic"; read back ${at}), so moderation.strategy cannot change in place on this endpoint: this plan replaces it to set "Basic". To keep the endpoint, set moderation.strategy to "Default" in manifests/chat.yaml or add it to lifecycle.ignore_changes.`,
  );
});

test.run();
