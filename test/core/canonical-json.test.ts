// canonicalJson writes its text directly for speed; it must stay exactly what its definition gives,
// JSON.stringify of the value with each object's keys inserted in sorted order, since plan hashes made
// by one version are compared by another (docs/github.md#applying-only-the-reviewed-plan).
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { setOwn } from "../../src/core/attribute-paths.js";
import { canonicalJson } from "../../src/core/plan-hash.js";

/** The definition, as the plan hash was first written. */
function byDefinition(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) setOwn(sorted, key, (inner as Record<string, unknown>)[key]);
    return sorted;
  });
}

// Keys that JavaScript orders its own way (array indices, "__proto__") among ordinary ones.
const key = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "0",
    "2",
    "10",
    "01",
    "-1",
    "4294967294",
    "4294967295",
    "1e3",
    "__proto__",
    "é",
    "\u{1F600}",
  ),
);
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(-0),
  ),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 5 }),
  object: fc.array(fc.tuple(key, tie("node")), { maxLength: 6 }).map((entries) => {
    const record: Record<string, unknown> = {};
    for (const [k, v] of entries) setOwn(record, k, v);
    return record;
  }),
})).node;

test("canonicalJson is JSON.stringify of the value with its keys sorted, for any JSON-like value", () => {
  fc.assert(
    fc.property(value, (v) => {
      assert.is(canonicalJson(v), byDefinition(v));
    }),
    { numRuns: 2000 },
  );
});

test("array indices come first in numeric order, as JavaScript orders an object's keys", () => {
  assert.is(canonicalJson({ b: 1, 10: 2, 2: 3, a: 4 }), '{"2":3,"10":2,"a":4,"b":1}');
  assert.is(
    canonicalJson({ x: new Date(0), y: [undefined, () => 1] }),
    '{"x":"1970-01-01T00:00:00.000Z","y":[null,null]}',
  );
  assert.is(canonicalJson(undefined), undefined as unknown as string);
});

test.run();
