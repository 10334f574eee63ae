// One resource change, two renderers: the terminal and a ```diff fence draw the same lines from
// resource-lines.ts, differing only in where the marker goes (the gutter, or column 0 with `~` as `!`).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderPlanMarkdown } from "../../src/render/markdown.js";
import { formatDiffLine } from "../../src/render/markdown-diff.js";
import { createPalette } from "../../src/render/palette.js";
import { resourceChangeLines, resourceDriftLines } from "../../src/render/resource-lines.js";
import { renderResourceChange, renderResourceDrift } from "../../src/render/text-resource.js";
import { cases, planFor } from "./cases.js";

/** A line without its indent, marker and comment `#`: what both renderers must agree on. */
const body = (line: string) => line.replace(/^[ +~!/#-]*/, "");

for (const renderCase of cases) {
  test(`${renderCase.name}: the text and the diff fence carry the same lines`, () => {
    const plan = planFor(renderCase);
    const palette = createPalette(false);
    const drifts = new Map(plan.resource_drift.map((drift) => [drift.address, drift]));
    for (const resource of plan.resource_changes) {
      const drift = drifts.get(resource.address);
      const text = renderResourceChange(resource, drift, palette);
      const diff = resourceChangeLines(resource, drift).map(formatDiffLine);
      assert.equal(diff.map(body), text.map(body), resource.address);
      for (const line of diff) assert.ok(/^[-+!# ]/.test(line), line);
    }
    for (const drift of plan.resource_drift) {
      const text = renderResourceDrift(drift, palette);
      assert.equal(resourceDriftLines(drift).map(formatDiffLine).map(body), text.map(body), drift.address);
    }
  });
}

test("Markdown, like the text, shows a nested name even when unchanged", () => {
  const found = cases.find((renderCase) => renderCase.name === "create-before-destroy");
  assert.ok(found);
  const markdown = renderPlanMarkdown(planFor(found), { directory: "manifests", maxLength: 65_536 });
  assert.match(
    markdown,
    [
      "!           foundation_model = {",
      '!               model_version = "250115" -> "250328"',
      '                name          = "doubao-1-5-pro-32k"',
      "            }",
    ].join("\n"),
  );
});

test("Markdown names a move in the summary of its details, and a move alone is not 'No changes.'", () => {
  const markdownOf = (name: string, maxLength = 65_536) => {
    const found = cases.find((renderCase) => renderCase.name === name);
    assert.ok(found);
    return renderPlanMarkdown(planFor(found), { directory: "manifests", maxLength });
  };
  const renamed = markdownOf("moved-rename-in-place");
  assert.match(
    renamed,
    "<summary><code>default/chat-v2</code> will be updated in-place (moved from <code>default/chat-prod</code>)</summary>",
  );
  assert.match(renamed, '#   (moved from default/chat-prod)\n!   endpoint "default/chat-v2" {');

  const onlyMoved = markdownOf("moved-only");
  assert.match(onlyMoved, "**Plan: 0 to add, 0 to change, 0 to destroy.**");
  assert.not.match(onlyMoved, "No changes.");
  assert.match(
    onlyMoved,
    "<summary><code>default/chat-prod</code> has moved to <code>default/chat-v2</code></summary>",
  );
  // Shown without its diff, the move is still named, with where it moved from.
  assert.match(
    markdownOf("moved-rename-in-place", 500),
    "without their diffs (see the job summary): `default/chat-v2` (moved from `default/chat-prod`)",
  );
  assert.match(
    markdownOf("moved-only", 900),
    "without their diffs (see the job summary): `default/chat-v2` (moved from `default/chat-prod`)",
  );
});

test.run();
