// A key named `__proto__` is data everywhere the core builds objects from attribute paths or sorts keys:
// plain assignment would set the object's prototype instead (or, nested, reach Object.prototype).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { unflattenAttributes } from "../../src/core/attribute-paths.js";
import { canonicalJson } from "../../src/core/plan-hash.js";

test("unflattenAttributes keeps a __proto__ step as data and touches no prototype", () => {
  const attributes = unflattenAttributes([
    { path: ["model_reference", "__proto__", "polluted"], value: "yes" },
    { path: ["rate_limit", "__proto__"], value: 5 },
  ]) as unknown as Record<string, Record<string, unknown>>;
  assert.is(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
  assert.equal(Object.keys(attributes.model_reference ?? {}), ["__proto__"]);
  assert.equal(JSON.parse(JSON.stringify(attributes.model_reference)), {
    ["__proto__"]: { polluted: "yes" },
  });
  assert.is(Object.getPrototypeOf(attributes.rate_limit), Object.prototype);
  assert.is(Object.getOwnPropertyDescriptor(attributes.rate_limit, "__proto__")?.value, 5);
});

test("canonicalJson keeps a __proto__ key, sorted with the others", () => {
  const value = JSON.parse('{"b": 1, "__proto__": {"x": 2}, "a": 3}');
  assert.is(canonicalJson(value), '{"__proto__":{"x":2},"a":3,"b":1}');
});

test.run();
