// The plan hash is what `apply --require-reviewed` compares (docs/github.md#applying-only-the-reviewed-plan):
// a pure function of what the plan would do, the same whatever order the inputs come in, in another
// process with another time zone and locale, and blind to status, warnings' text and rendering.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePlan } from "../../src/core/compute-plan.js";
import { computePlanHash } from "../../src/core/plan-hash.js";
import type { DesiredEndpoint, LiveEndpoint, Plan, StateDocument } from "../../src/core/types.js";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { applied, attrs, desired, live, state } from "./builders.js";

function inputs(): [DesiredEndpoint[], StateDocument, LiveEndpoint[]] {
  return [
    [
      desired(
        attrs({
          name: "a",
          tags: [
            { key: "team", value: "x" },
            { key: "env", value: "prod" },
          ],
        }),
      ),
      desired(attrs({ name: "b", rate_limit: { rpm: 5, tpm: 9 } })),
      desired(attrs({ name: "new" })),
    ],
    state({
      "default/a": applied("ep-a", attrs({ name: "a" })),
      "default/b": applied("ep-b", attrs({ name: "b" })),
      "default/gone": applied("ep-g", attrs({ name: "gone" })),
    }),
    [
      live("ep-a", attrs({ name: "a", description: "console" })),
      live("ep-b", attrs({ name: "b", rate_limit: { rpm: 1, tpm: 9 } })),
      live("ep-g", attrs({ name: "gone" })),
    ],
  ];
}

function reversed<T>(items: T[]): T[] {
  return [...items].reverse();
}

test("inputs in another order give the same plan hash", () => {
  const [wanted, recorded, current] = inputs();
  const shuffledState = {
    ...recorded,
    resources: Object.fromEntries(reversed(Object.entries(recorded.resources))),
  };
  const shuffledWanted = reversed(wanted).map((d) => ({
    ...d,
    attributes: { ...d.attributes, ...(d.attributes.tags ? { tags: reversed(d.attributes.tags) } : {}) },
  }));
  const one = computePlan(wanted, recorded, current);
  const other = computePlan(shuffledWanted, shuffledState, reversed(current));
  assert.is(other.plan_hash, one.plan_hash);
});

test("another process, time zone and locale computes the same hash", () => {
  const plan = computePlan(...inputs());
  const script = `
    import { readFileSync } from "node:fs";
    import { computePlan } from ${JSON.stringify(new URL("../../src/core/compute-plan.js", import.meta.url).href)};
    const [wanted, recorded, current] = JSON.parse(readFileSync(0, "utf8"));
    process.stdout.write(computePlan(wanted, recorded, current).plan_hash);`;
  const hash = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    input: JSON.stringify(inputs()),
    env: { ...process.env, TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" },
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    encoding: "utf8",
  });
  assert.is(hash, plan.plan_hash);
});

test("status, warnings, errors, reasons and rendering details do not change the hash", () => {
  const plan = computePlan(...inputs());
  const { plan_hash, ...content } = plan;
  const cosmetic: Omit<Plan, "plan_hash"> = {
    ...content,
    refreshed: !content.refreshed,
    warnings: [{ code: "endpoint_status", message: "reworded" }],
    errors: [],
    unmanaged: [],
    summary: { add: 0, change: 0, destroy: 0 },
    resource_changes: content.resource_changes.map((rc) => ({
      ...rc,
      status: "Updating",
      change: { ...rc.change, patch: [], replace_paths: [], after_unknown: {} },
    })),
  };
  assert.is(computePlanHash(cosmetic), plan_hash);
  assert.is(computePlanHash(JSON.parse(renderPlanJson(plan))), plan_hash, "the saved JSON hashes the same");
});

test("what the plan would do changes the hash: actions, values, the state, drift", () => {
  const plan = computePlan(...inputs());
  const [wanted, recorded, current] = inputs();
  const variants = [
    computePlan(wanted.slice(0, 2), recorded, current),
    computePlan(
      [...wanted.slice(0, 2), desired(attrs({ name: "new", description: "d" }))],
      recorded,
      current,
    ),
    computePlan(wanted, { ...recorded, serial: recorded.serial + 1 }, current),
    computePlan(wanted, recorded, [...current.slice(0, 2)]),
  ];
  for (const variant of variants) assert.is.not(variant.plan_hash, plan.plan_hash);
});

test.run();
