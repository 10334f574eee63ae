// The limit on destroys (docs/sync.md#safety-rules): the lower of ark-sync.yaml's max_destroy and
// sync's --max-destroy, and a plan over it fails with a message naming where the limit was set.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import { type DestroyLimit, lowerDestroyLimit } from "../../src/core/destroy-limit.js";
import { applied, attrs, live, state } from "./builders.js";

const limits: Array<[string, number | undefined, number | undefined, DestroyLimit | undefined]> = [
  ["neither: no limit", undefined, undefined, undefined],
  ["ark-sync.yaml only", 3, undefined, { max: 3, source: "ark-sync.yaml" }],
  ["the flag only", undefined, 2, { max: 2, source: "--max-destroy" }],
  ["the flag lower", 3, 1, { max: 1, source: "--max-destroy" }],
  [
    "ark-sync.yaml lower: the repository may lower the flag's limit",
    0,
    2,
    { max: 0, source: "ark-sync.yaml" },
  ],
  [
    "a tie names the flag, which still holds if the repository raises its own",
    2,
    2,
    { max: 2, source: "--max-destroy" },
  ],
];

for (const [name, fromConfig, fromFlag, expected] of limits) {
  test(`the lower limit: ${name}`, () => {
    assert.equal(lowerDestroyLimit(fromConfig, fromFlag), expected);
  });
}

/** The plan of removing every named manifest, each endpoint applied and live: it destroys them all. */
function planRemoving(names: string[], limit: DestroyLimit) {
  const ids = names.map((name, i) => [name, `ep-${i + 1}`] as const);
  return computePlan(
    [],
    state(Object.fromEntries(ids.map(([name, id]) => [`default/${name}`, applied(id, attrs({ name }))]))),
    ids.map(([name, id]) => live(id, attrs({ name }))),
    { allowEmpty: true, maxDestroy: limit },
  );
}

test("a plan over the flag's limit has the max_destroy error, naming the flag", () => {
  const plan = planRemoving(["a", "b"], { max: 1, source: "--max-destroy" });
  assert.is(plan.summary.destroy, 2);
  assert.equal(plan.errors, [
    {
      code: "max_destroy_exceeded",
      message:
        "This plan would destroy or replace 2 endpoints, more than the 1 that --max-destroy allows (set by whoever runs sync; ark-sync.yaml cannot raise it). If that is intended, a person applies it (ark-sync apply).",
    },
  ]);
});

test("a plan over ark-sync.yaml's limit names ark-sync.yaml, as before", () => {
  const plan = planRemoving(["a", "b"], { max: 1, source: "ark-sync.yaml" });
  assert.equal(
    plan.errors.map((error) => error.message),
    [
      "This plan would destroy or replace 2 endpoints, more than max_destroy (1) in ark-sync.yaml allows. If that is intended, run plan and apply again with --allow-destroy-over-limit (sync never lifts it).",
    ],
  );
});

test("a plan within the limit has no error", () => {
  assert.equal(planRemoving(["a"], { max: 1, source: "--max-destroy" }).errors, []);
});

test.run();
