// normalizeAttributes builds the normal form directly; the leaf round trip (flatten, then unflatten)
// defines it. The two must agree to the byte, key order included, on well-formed and malformed input.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { flattenAttributes, unflattenAttributes } from "../../src/core/attribute-paths.js";
import { normalizeAttributes } from "../../src/core/normalize-inputs.js";
import type { EndpointAttributes } from "../../src/core/types.js";

function roundTrip(attributes: unknown): EndpointAttributes {
  const normal = unflattenAttributes(flattenAttributes(attributes as EndpointAttributes).values());
  if (typeof normal.name !== "string") normal.name = "";
  if (typeof normal.project_name !== "string") normal.project_name = "default";
  return normal;
}

const sameText = (attributes: unknown) =>
  assert.is(JSON.stringify(normalizeAttributes(attributes)), JSON.stringify(roundTrip(attributes)));

const text = fc.string({ maxLength: 8 });
const loose = fc.oneof(text, fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean());
const tag = fc.oneof(
  fc.record({ key: fc.constantFrom("env", "team", "a.b", "z"), value: fc.oneof(text, loose) }),
  fc.anything({ maxDepth: 1 }),
);
const attributesArb = fc.record(
  {
    name: fc.oneof(text, loose),
    project_name: fc.oneof(text, loose),
    description: fc.oneof(text, loose),
    model_reference: fc.oneof(
      fc.record({ foundation_model: fc.record({ name: text, model_version: fc.oneof(text, loose) }) }),
      fc.record({ custom_model_id: text }),
      fc.anything({ maxDepth: 2 }),
    ),
    model_unit_id: loose,
    moderation: fc.oneof(fc.record({ strategy: text }), fc.constant({}), loose),
    rate_limit: fc.oneof(fc.record({ tpm: fc.integer(), rpm: fc.oneof(fc.integer(), loose) }), loose),
    tags: fc.oneof(fc.array(tag, { maxLength: 5 }), fc.anything({ maxDepth: 2 })),
    unknown: fc.anything({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

test("the normal form equals the leaf round trip, key order included", () => {
  fc.assert(fc.property(attributesArb, sameText), { numRuns: 1000 });
  fc.assert(fc.property(fc.anything({ maxDepth: 3 }), sameText), { numRuns: 300 });
});

test("shapes the loaders never produce take the round trip: duplicate tag keys, tags as an object", () => {
  const duplicated = {
    name: "a",
    tags: [
      { key: "env", value: "1" },
      { key: "env", value: "2" },
    ],
  };
  sameText(duplicated);
  assert.equal(normalizeAttributes(duplicated).tags, [{ key: "env", value: "2" }]);
  const keyed = { name: "a", tags: { env: "prod" } };
  sameText(keyed);
  assert.equal(normalizeAttributes(keyed).tags, [{ key: "env", value: "prod" }]);
});

test("nested keys sorted, empty and unset values dropped, defaults for name and project", () => {
  const normal = normalizeAttributes({
    tags: [
      { key: "z", value: "1" },
      { key: "a", value: "2", extra: true },
    ],
    rate_limit: { tpm: 5, rpm: null },
    moderation: {},
    model_reference: { foundation_model: { name: "m", model_version: "v" } },
  });
  assert.is(
    JSON.stringify(normal),
    '{"model_reference":{"foundation_model":{"model_version":"v","name":"m"}},"rate_limit":{"tpm":5},' +
      '"tags":[{"key":"a","value":"2"},{"key":"z","value":"1"}],"name":"","project_name":"default"}',
  );
});

test.run();
