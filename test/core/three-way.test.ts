// Every row of docs/design.md §3's three-way table, leaf by leaf, the removal rule of each attribute
// (docs/ark-api.md, "Removed attributes"), and the tag-set rules.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { diffThreeWay } from "../../src/core/three-way.js";
import type { EndpointAttributes } from "../../src/core/types.js";
import { attrs } from "./builders.js";

interface Row {
  name: string;
  desired: EndpointAttributes;
  lastApplied: EndpointAttributes | null;
  live: EndpointAttributes;
  ignore?: string[][];
  expect: {
    changes: Array<{
      path: string;
      kind: "set" | "remove";
      before: unknown;
      after: unknown;
      drift?: unknown;
    }>;
    drift?: Array<{ path: string; last_applied: unknown; live: unknown }>;
    unmanaged?: Array<{ path: string; value: unknown }>;
    noLongerManaged?: Array<{ path: string; value: unknown; last_applied: unknown }>;
  };
}

const rpm = (value: number | undefined) =>
  attrs({ rate_limit: value === undefined ? { tpm: 5 } : { rpm: value, tpm: 5 } });

const rows: Row[] = [
  {
    name: "D = V: no change, whatever L is",
    desired: rpm(10),
    lastApplied: rpm(99),
    live: rpm(10),
    expect: { changes: [], drift: [{ path: "rate_limit.rpm", last_applied: 99, live: 10 }] },
  },
  {
    name: "D = V with L absent: no change",
    desired: rpm(10),
    lastApplied: null,
    live: rpm(10),
    expect: { changes: [] },
  },
  {
    name: "D ≠ V, L absent: change to d (a manifest edit)",
    desired: rpm(20),
    lastApplied: null,
    live: rpm(10),
    expect: { changes: [{ path: "rate_limit.rpm", kind: "set", before: 10, after: 20 }] },
  },
  {
    name: "D ≠ V, L = V: change to d (a manifest edit), no drift",
    desired: rpm(20),
    lastApplied: rpm(10),
    live: rpm(10),
    expect: { changes: [{ path: "rate_limit.rpm", kind: "set", before: 10, after: 20 }], drift: [] },
  },
  {
    name: "D ≠ V, L ≠ V: change to d, annotated as drift with what was last applied",
    desired: rpm(10),
    lastApplied: rpm(10),
    live: rpm(30),
    expect: {
      changes: [{ path: "rate_limit.rpm", kind: "set", before: 30, after: 10, drift: { last_applied: 10 } }],
      drift: [{ path: "rate_limit.rpm", last_applied: 10, live: 30 }],
    },
  },
  {
    name: "D absent, L present, V present, a documented reset (description): removed from manifest",
    desired: attrs({ description: undefined }),
    lastApplied: attrs({ description: "old" }),
    live: attrs({ description: "old" }),
    expect: { changes: [{ path: "description", kind: "remove", before: "old", after: undefined }] },
  },
  {
    name: "D absent, L present, V different, a documented reset: removed, and drift shown",
    desired: attrs({ description: undefined }),
    lastApplied: attrs({ description: "old" }),
    live: attrs({ description: "console" }),
    expect: {
      changes: [
        {
          path: "description",
          kind: "remove",
          before: "console",
          after: undefined,
          drift: { last_applied: "old" },
        },
      ],
      drift: [{ path: "description", last_applied: "old", live: "console" }],
    },
  },
  {
    name: "D absent, L present, V absent, a documented reset: already gone, nothing to do (drift only)",
    desired: attrs({ description: undefined }),
    lastApplied: attrs({ description: "old" }),
    live: attrs({ description: undefined }),
    expect: { changes: [], drift: [{ path: "description", last_applied: "old", live: undefined }] },
  },
  {
    name: "D absent, L present, V present, no documented reset (rate_limit): kept live, no longer managed",
    desired: rpm(undefined),
    lastApplied: rpm(10),
    live: rpm(10),
    expect: {
      changes: [],
      drift: [],
      noLongerManaged: [{ path: "rate_limit.rpm", value: 10, last_applied: 10 }],
    },
  },
  {
    name: "D absent, L present, V different, no documented reset: kept as it is live, not drift",
    desired: rpm(undefined),
    lastApplied: rpm(10),
    live: rpm(12),
    expect: {
      changes: [],
      drift: [],
      noLongerManaged: [{ path: "rate_limit.rpm", value: 12, last_applied: 10 }],
    },
  },
  {
    name: "D absent, L present, V absent, no documented reset: nothing to keep, nothing to do",
    desired: rpm(undefined),
    lastApplied: rpm(10),
    live: rpm(undefined),
    expect: { changes: [], drift: [], noLongerManaged: [] },
  },
  {
    name: "no documented reset (moderation): a whole attribute removed is kept live",
    desired: attrs(),
    lastApplied: attrs({ moderation: { strategy: "Basic" } }),
    live: attrs({ moderation: { strategy: "Basic" } }),
    expect: {
      changes: [],
      noLongerManaged: [{ path: "moderation.strategy", value: "Basic", last_applied: "Basic" }],
    },
  },
  {
    name: "a replacement is a documented reset (model_unit_id): removed from manifest",
    desired: attrs(),
    lastApplied: attrs({ model_unit_id: "mu-1" }),
    live: attrs({ model_unit_id: "mu-1" }),
    expect: { changes: [{ path: "model_unit_id", kind: "remove", before: "mu-1", after: undefined }] },
  },
  {
    name: "D absent, L absent, V present: unmanaged, left alone",
    desired: attrs({ description: undefined }),
    lastApplied: attrs({ description: undefined }),
    live: attrs({ description: "set in the console" }),
    expect: { changes: [], unmanaged: [{ path: "description", value: "set in the console" }] },
  },
  {
    name: "D set, L absent, V absent: set it",
    desired: attrs({ description: "hello" }),
    lastApplied: null,
    live: attrs(),
    expect: { changes: [{ path: "description", kind: "set", before: undefined, after: "hello" }] },
  },
  // Tags: a set keyed by key, the same table per key.
  {
    name: "tags: order never matters",
    desired: attrs({
      tags: [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ],
    }),
    lastApplied: attrs({
      tags: [
        { key: "b", value: "2" },
        { key: "a", value: "1" },
      ],
    }),
    live: attrs({
      tags: [
        { key: "b", value: "2" },
        { key: "a", value: "1" },
      ],
    }),
    expect: { changes: [] },
  },
  {
    name: "tags: a value change is one change of that key, not a remove plus an add",
    desired: attrs({ tags: [{ key: "env", value: "staging" }] }),
    lastApplied: attrs({ tags: [{ key: "env", value: "prod" }] }),
    live: attrs({ tags: [{ key: "env", value: "prod" }] }),
    expect: { changes: [{ path: 'tags["env"]', kind: "set", before: "prod", after: "staging" }] },
  },
  {
    name: "tags: a key removed from the manifest is removed",
    desired: attrs({ tags: [{ key: "env", value: "prod" }] }),
    lastApplied: attrs({
      tags: [
        { key: "env", value: "prod" },
        { key: "tmp", value: "x" },
      ],
    }),
    live: attrs({
      tags: [
        { key: "env", value: "prod" },
        { key: "tmp", value: "x" },
      ],
    }),
    expect: { changes: [{ path: 'tags["tmp"]', kind: "remove", before: "x", after: undefined }] },
  },
  {
    name: "tags: a live-only key is unmanaged and kept",
    desired: attrs({ tags: [{ key: "env", value: "prod" }] }),
    lastApplied: attrs({ tags: [{ key: "env", value: "prod" }] }),
    live: attrs({
      tags: [
        { key: "env", value: "prod" },
        { key: "owner", value: "ops" },
      ],
    }),
    expect: { changes: [], unmanaged: [{ path: 'tags["owner"]', value: "ops" }] },
  },
  {
    name: "tags: a key added in the manifest is added",
    desired: attrs({
      tags: [
        { key: "env", value: "prod" },
        { key: "team", value: "search" },
      ],
    }),
    lastApplied: attrs({ tags: [{ key: "env", value: "prod" }] }),
    live: attrs({ tags: [{ key: "env", value: "prod" }] }),
    expect: { changes: [{ path: 'tags["team"]', kind: "set", before: undefined, after: "search" }] },
  },
  {
    name: "ignore_changes: an ignored path is left out of the diff and of drift",
    desired: rpm(10),
    lastApplied: rpm(10),
    live: rpm(30),
    ignore: [["rate_limit"]],
    expect: { changes: [], drift: [] },
  },
  {
    name: "ignore_changes: one tag key ignored, the others still enforced",
    desired: attrs({
      tags: [
        { key: "env", value: "prod" },
        { key: "rev", value: "1" },
      ],
    }),
    lastApplied: attrs({
      tags: [
        { key: "env", value: "prod" },
        { key: "rev", value: "1" },
      ],
    }),
    live: attrs({
      tags: [
        { key: "env", value: "dev" },
        { key: "rev", value: "9" },
      ],
    }),
    ignore: [["tags", "rev"]],
    expect: {
      changes: [
        { path: 'tags["env"]', kind: "set", before: "dev", after: "prod", drift: { last_applied: "prod" } },
      ],
      drift: [{ path: 'tags["env"]', last_applied: "prod", live: "dev" }],
    },
  },
];

const show = (path: string[]) => (path[0] === "tags" ? `tags[${JSON.stringify(path[1])}]` : path.join("."));

for (const row of rows) {
  test(row.name, () => {
    const before = structuredClone({ d: row.desired, l: row.lastApplied, v: row.live });
    const result = diffThreeWay({
      desired: row.desired,
      lastApplied: row.lastApplied,
      live: row.live,
      ignoreChanges: row.ignore ?? [],
    });
    assert.equal(
      result.changes.map((c) => ({
        path: show(c.path),
        kind: c.kind,
        before: c.before,
        after: c.after,
        ...(c.drift ? { drift: c.drift } : {}),
      })),
      row.expect.changes,
    );
    if (row.expect.drift) {
      assert.equal(
        result.drift.map((d) => ({ path: show(d.path), last_applied: d.last_applied, live: d.live })),
        row.expect.drift,
      );
    }
    assert.equal(
      result.unmanaged.map((u) => ({ path: show(u.path), value: u.value })),
      row.expect.unmanaged ?? [],
    );
    assert.equal(
      result.noLongerManaged.map((r) => ({
        path: show(r.path),
        value: r.value,
        last_applied: r.last_applied,
      })),
      row.expect.noLongerManaged ?? [],
    );
    assert.equal({ d: row.desired, l: row.lastApplied, v: row.live }, before, "inputs are never mutated");
  });
}

test("after keeps unmanaged values and values no longer managed, and applies the changes", () => {
  const result = diffThreeWay({
    desired: attrs({ rate_limit: { rpm: 20 }, tags: [{ key: "env", value: "prod" }] }),
    lastApplied: attrs({ rate_limit: { rpm: 10, tpm: 5 } }),
    live: attrs({
      rate_limit: { rpm: 10, tpm: 5 },
      tags: [
        { key: "owner", value: "ops" },
        { key: "env", value: "prod" },
      ],
    }),
    ignoreChanges: [],
  });
  assert.equal(result.after.rate_limit, { rpm: 20, tpm: 5 }, "tpm, removed from the manifest, is kept");
  assert.equal(result.after.tags, [
    { key: "env", value: "prod" },
    { key: "owner", value: "ops" },
  ]);
});

test("after is live itself when nothing changes, and last-applied planned as live is one set of leaves", () => {
  const recorded = attrs({ rate_limit: { rpm: 10, tpm: 5 }, tags: [{ key: "env", value: "prod" }] });
  const result = diffThreeWay({
    desired: structuredClone(recorded),
    lastApplied: recorded,
    live: recorded,
    ignoreChanges: [],
  });
  assert.equal(result.changes, []);
  assert.equal(result.drift, []);
  assert.ok(result.after === recorded);
});

test("planned without refresh, an endpoint as last applied diffs the same as through its leaves", () => {
  const value = fc.oneof(fc.constantFrom("a", "b"), fc.integer({ min: 0, max: 2 }), fc.constant(null));
  const attributesArb = fc.record(
    {
      name: fc.constantFrom("n", "m"),
      description: value,
      model_reference: fc.record({ foundation_model: fc.record({ name: value, model_version: value }) }),
      rate_limit: fc.oneof(fc.record({ rpm: value, tpm: value }, { requiredKeys: [] }), value),
      tags: fc.oneof(
        fc.array(fc.record({ key: fc.constantFrom("env", "team"), value }), { maxLength: 3 }),
        fc.anything({ maxDepth: 1 }),
      ),
    },
    { requiredKeys: [] },
  );
  const pair = attributesArb.chain((recorded) =>
    fc.tuple(fc.oneof(fc.constant(structuredClone(recorded)), attributesArb), fc.constant(recorded)),
  );
  fc.assert(
    fc.property(pair, (generated) => {
      const [desired, recorded] = generated as unknown as [EndpointAttributes, EndpointAttributes];
      const input = { desired, lastApplied: recorded, ignoreChanges: [] };
      const same = diffThreeWay({ ...input, live: recorded });
      const throughLeaves = diffThreeWay({ ...input, live: structuredClone(recorded) });
      assert.equal({ ...same, after: undefined }, { ...throughLeaves, after: undefined });
    }),
    { numRuns: 1000 },
  );
});

test.run();
