// Properties of the planner over generated inputs: identical desired / last-applied / live plan to
// nothing, computePlan never throws, whatever shapes it is handed, and moves never lose or duplicate
// a recorded endpoint.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import type {
  DesiredEndpoint,
  EndpointAttributes,
  LiveEndpoint,
  StateDocument,
} from "../../src/core/types.js";

const text = fc.string({ maxLength: 12 });
const attributesArb: fc.Arbitrary<EndpointAttributes> = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    project_name: fc.constantFrom("default", "team-a"),
    description: text,
    model_reference: fc.oneof(
      fc.record({ foundation_model: fc.record({ name: text, model_version: text }) }),
      fc.record({ custom_model_id: text }),
    ),
    model_unit_id: text,
    moderation: fc.record({ strategy: fc.constantFrom("Default" as const, "Basic" as const) }),
    rate_limit: fc.record({ rpm: fc.nat(), tpm: fc.nat() }, { requiredKeys: [] }),
    tags: fc.uniqueArray(fc.record({ key: text, value: text }), { selector: (tag) => tag.key, maxLength: 5 }),
  },
  { requiredKeys: ["name", "project_name"] },
);

const endpointsArb = fc.uniqueArray(attributesArb, {
  selector: (a) => `${a.project_name}/${a.name}`,
  maxLength: 6,
});

test("a plan of identical desired, last-applied and live is empty", () => {
  fc.assert(
    fc.property(endpointsArb, (endpoints) => {
      const desired: DesiredEndpoint[] = endpoints.map((attributes) => ({
        address: `${attributes.project_name}/${attributes.name}`,
        attributes,
        lifecycle: {},
        source: { file: "m.yaml", line: 1, col: 1 },
      }));
      const state: StateDocument = { version: 1, lineage: "l", serial: 1, resources: {} };
      const live: LiveEndpoint[] = [];
      endpoints.forEach((attributes, i) => {
        const id = `ep-${i}`;
        state.resources[`${attributes.project_name}/${attributes.name}`] = {
          endpoint_id: id,
          last_applied: structuredClone(attributes),
          applied_at: null,
        };
        live.push({ endpoint_id: id, attributes: structuredClone(attributes), status: "Running" });
      });
      const plan = computePlan(desired, state, live);
      assert.equal(plan.summary, { add: 0, change: 0, destroy: 0 });
      assert.ok(plan.resource_changes.every((rc) => rc.change.actions[0] === "no-op"));
      assert.equal(plan.resource_drift, []);
      assert.equal(plan.unmanaged, []);
    }),
    { numRuns: 300 },
  );
});

test("computePlan never throws on generated input, however malformed", () => {
  const anything = fc.anything({ maxDepth: 3 });
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          address: text,
          attributes: fc.oneof(attributesArb, anything),
          lifecycle: anything,
          moved_from: fc.oneof(text, anything),
        }),
      ),
      fc.option(
        fc.record({
          resources: fc.dictionary(text, fc.record({ endpoint_id: text, last_applied: anything })),
        }),
      ),
      fc.option(
        fc.array(
          fc.record({ endpoint_id: text, attributes: fc.oneof(attributesArb, anything), status: text }),
        ),
      ),
      (desired, state, live) => {
        const plan = computePlan(
          desired as unknown as DesiredEndpoint[],
          state as unknown as StateDocument | null,
          live as unknown as LiveEndpoint[] | null,
        );
        assert.type(plan.plan_hash, "string");
      },
    ),
    { numRuns: 300 },
  );
});

test("moves: every recorded endpoint is planned exactly once, under its address or as a move", () => {
  const address = fc.constantFrom<string>("default/a", "default/b", "default/c", "team/a", "team/d");
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ to: address, from: fc.option(address, { nil: undefined }) }), {
        selector: (move) => move.to,
        maxLength: 5,
      }),
      fc.uniqueArray(address, { maxLength: 5 }),
      fc.boolean(),
      (wanted, recorded, refreshed) => {
        const desired: DesiredEndpoint[] = wanted.map(({ to, from }) => {
          const [project_name = "", name = ""] = to.split("/");
          return {
            address: to,
            attributes: { name, project_name },
            lifecycle: {},
            ...(from === undefined ? {} : { moved_from: from }),
            source: { file: "m.yaml", line: 1, col: 1 },
          };
        });
        const state: StateDocument = { version: 1, lineage: "l", serial: 1, resources: {} };
        const live: LiveEndpoint[] = [];
        recorded.forEach((at, i) => {
          const [project_name = "", name = ""] = at.split("/");
          state.resources[at] = {
            endpoint_id: `ep-${i}`,
            last_applied: { name, project_name },
            applied_at: null,
          };
          live.push({ endpoint_id: `ep-${i}`, attributes: { name, project_name }, status: "Running" });
        });
        const plan = computePlan(desired, state, refreshed ? live : null);
        const planned = plan.resource_changes.flatMap((rc) => [
          rc.address,
          ...(rc.previous_address === undefined ? [] : [rc.previous_address]),
        ]);
        assert.equal([...new Set(planned)].length, planned.length, "an address planned twice");
        for (const at of recorded) assert.ok(planned.includes(at), `${at} was dropped`);
        for (const rc of plan.resource_changes) {
          if (rc.previous_address === undefined) continue;
          assert.ok(recorded.includes(rc.previous_address) && !recorded.includes(rc.address));
          assert.is(rc.endpoint_id, state.resources[rc.previous_address]?.endpoint_id);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test.run();
