// Renderer invariants over generated plans (real computePlan on random desired / last-applied / live):
// never throws, one contract line, clean layout, no ANSI without colour, and the JSON reads back as
// exactly the plan it was written from.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type {
  DesiredEndpoint,
  EndpointAttributes,
  LiveEndpoint,
  Plan,
  StateDocument,
} from "../../src/core/types.js";
import { parsePlanJson, renderPlanJson } from "../../src/render/plan-json.js";
import { renderPlanText, renderSummaryLine } from "../../src/render/text.js";

const small = fc.constantFrom("a", "b", "c\u001b[1m", "d\u202e\u2028", "");
const attributesFor = (name: string): fc.Arbitrary<EndpointAttributes> =>
  fc.record(
    {
      name: fc.constant(name),
      project_name: fc.constant("default"),
      description: small,
      model_reference: fc.oneof(
        fc.record({ foundation_model: fc.record({ name: small, model_version: fc.constantFrom("1", "2") }) }),
        fc.record({ custom_model_id: small }),
      ),
      model_unit_id: small,
      moderation: fc.record({ strategy: fc.constantFrom("Default" as const, "Basic" as const) }),
      rate_limit: fc.record({ rpm: fc.constantFrom(1, 2), tpm: fc.constantFrom(1, 2) }, { requiredKeys: [] }),
      tags: fc.uniqueArray(fc.record({ key: fc.constantFrom("env", "team", "x.y"), value: small }), {
        selector: (tag) => tag.key,
        maxLength: 3,
      }),
    },
    { requiredKeys: ["name", "project_name"] },
  );

const FIELDS = [
  "description",
  "model_reference",
  "model_unit_id",
  "moderation",
  "rate_limit",
  "tags",
] as const;

/** The base attributes with some fields taken from (or removed like) the other: small, realistic edits. */
function mix(
  base: EndpointAttributes,
  other: EndpointAttributes,
  fields: readonly string[],
): EndpointAttributes {
  const mixed: Record<string, unknown> = { ...base };
  for (const field of fields) {
    const value = (other as unknown as Record<string, unknown>)[field];
    if (value === undefined) delete mixed[field];
    else mixed[field] = value;
  }
  return mixed as unknown as EndpointAttributes;
}

const endpointArb = fc.constantFrom("one", "two", "three").chain((name) =>
  fc
    .record({
      base: attributesFor(name),
      other: attributesFor(name),
      desiredEdits: fc.option(fc.subarray([...FIELDS], { maxLength: 2 })),
      lastAppliedEdits: fc.oneof(
        fc.constantFrom("absent" as const, "imported" as const),
        fc.subarray([...FIELDS], { maxLength: 2 }),
      ),
      liveEdits: fc.option(fc.subarray([...FIELDS], { maxLength: 2 })),
      lifecycle: fc.record(
        {
          create_before_destroy: fc.boolean(),
          prevent_destroy: fc.boolean(),
          ignore_changes: fc.subarray(["rate_limit.rpm", "tags.env", "description"]),
        },
        { requiredKeys: [] },
      ),
      /** Recorded under `default/old-<name>`, the manifest saying `moved_from` it. */
      moved: fc.boolean(),
      status: fc.constantFrom("Running", "Scheduling", "Stopped", "Abnormal"),
    })
    .map(({ base, other, desiredEdits, lastAppliedEdits, liveEdits, lifecycle, moved, status }) => ({
      name,
      moved,
      desired: desiredEdits && mix(base, other, desiredEdits),
      /** undefined: not in state; null: imported, never applied. */
      lastApplied:
        lastAppliedEdits === "absent"
          ? undefined
          : lastAppliedEdits === "imported"
            ? null
            : mix(base, other, lastAppliedEdits),
      live: liveEdits && mix(base, other, liveEdits),
      lifecycle,
      status,
    })),
);

const inputsArb = fc.record({
  endpoints: fc.uniqueArray(endpointArb, { selector: (endpoint) => endpoint.name, maxLength: 3 }),
  refreshed: fc.boolean(),
});

type Inputs = typeof inputsArb extends fc.Arbitrary<infer T> ? T : never;

function planFrom(inputs: Inputs): Plan {
  const { endpoints } = inputs;
  const desired: DesiredEndpoint[] = [];
  const state: StateDocument = { version: 1, lineage: "l", serial: 1, resources: {} };
  const live: LiveEndpoint[] = [];
  endpoints.forEach((endpoint, i) => {
    const address = `default/${endpoint.name}`;
    const recordedAt = endpoint.moved ? `default/old-${endpoint.name}` : address;
    if (endpoint.desired) {
      desired.push({
        address,
        attributes: endpoint.desired,
        lifecycle: endpoint.lifecycle,
        ...(endpoint.moved ? { moved_from: recordedAt } : {}),
        source: { file: "m.yaml", line: 1, col: 1 },
      });
    }
    if (endpoint.lastApplied !== undefined) {
      state.resources[recordedAt] = {
        endpoint_id: `ep-${i}`,
        last_applied: endpoint.lastApplied,
        applied_at: null,
      };
    }
    if (endpoint.live)
      live.push({ endpoint_id: `ep-${i}`, attributes: endpoint.live, status: endpoint.status });
  });
  return computePlan(desired, state, inputs.refreshed ? live : null);
}

test("rendering any plan keeps the layout and contract invariants", () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(inputsArb, (inputs) => {
      const plan = planFrom(inputs);
      for (const rc of plan.resource_changes) seen.add(rc.change.actions.join(","));
      const text = renderPlanText(plan, { color: false });
      const colored = renderPlanText(plan, { color: true });
      assert.not.ok(text.includes("\x1b"));
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
      assert.is(colored.replace(/\x1b\[[0-9;]*m/g, ""), text);
      assert.ok(text.endsWith("\n") && !text.endsWith("\n\n") && !text.includes("\n\n\n"));
      for (const line of text.split("\n")) assert.not.match(line, /\s$/);
      const lines = text.split("\n");
      // A move alone still has something to apply.
      const changing = plan.resource_changes.some(
        (rc) => rc.change.actions[0] !== "no-op" || rc.previous_address !== undefined,
      );
      assert.is(lines.filter((line) => line === renderSummaryLine(plan.summary)).length, changing ? 1 : 0);
      assert.is(lines.filter((line) => line.startsWith("No changes.")).length, changing ? 0 : 1);
    }),
    // A fixed seed keeps the run reproducible, and the check below meaningful.
    { numRuns: 300, seed: 20261102 },
  );
  assert.equal([...seen].sort(), ["create", "create,delete", "delete", "delete,create", "no-op", "update"]);
});

test("the JSON of any plan reads back as that plan, and renders again to the same text", () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(inputsArb, (inputs) => {
      const plan = planFrom(inputs);
      for (const rc of plan.resource_changes) {
        if (rc.previous_address !== undefined) seen.add("previous_address");
        if (Object.keys(rc.lifecycle).length > 0) seen.add("lifecycle");
        if (rc.status === "Scheduling") seen.add("status");
      }
      const json = renderPlanJson(plan);
      const read = parsePlanJson(json, "plan.json");
      assert.equal(read, plan);
      assert.is(renderPlanJson(read), json);
    }),
    { numRuns: 300, seed: 20261102 },
  );
  assert.equal(
    [...seen].sort(),
    ["lifecycle", "previous_address", "status"],
    "the optional fields were drawn",
  );
});

test.run();
