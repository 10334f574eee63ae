// Every golden case rendered as text (and some as JSON) against test/fixtures/golden/plans.
import { test } from "uvu";
import { renderPlanJson } from "../../src/render/plan-json.js";
import { renderPlanText } from "../../src/render/text.js";
import { cases, planFor } from "./cases.js";
import { assertGolden } from "./golden.js";

for (const renderCase of cases) {
  test(`golden text: ${renderCase.name}`, () => {
    assertGolden(`${renderCase.name}.txt`, renderPlanText(planFor(renderCase), { color: false }));
  });
  if (renderCase.json) {
    test(`golden JSON: ${renderCase.name}`, () => {
      assertGolden(`${renderCase.name}.json`, renderPlanJson(planFor(renderCase)));
    });
  }
}

test.run();
