// The Markdown plan (docs/design.md §10) for a pull-request comment or a job summary, never coloured:
// its parts are built once (markdown-model.ts), laid out (markdown-layout.ts) and, while the whole is
// longer than maxLength, shortened step by step (markdown-fit.ts). Destroys, replacements and drift
// are the last to be cut, and nothing is ever left out without saying how much.
import { ArkSyncError } from "../core/errors.js";
import type { Plan } from "../core/types.js";
import { degradeSteps } from "./markdown-fit.js";
import { renderModel } from "./markdown-layout.js";
import { buildModel, type MarkdownOptions } from "./markdown-model.js";

export type { MarkdownOptions } from "./markdown-model.js";

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions): string {
  const { maxLength } = options;
  const measure =
    options.unit === "utf8"
      ? (text: string) => Buffer.byteLength(text, "utf8")
      : (text: string) => text.length;
  const model = buildModel(plan, options);
  let text = renderModel(model);
  for (const step of degradeSteps(model, measure)) {
    let next = 0;
    while (measure(text) > maxLength && next < step.items.length) {
      let excess = measure(text) - maxLength;
      while (next < step.items.length) {
        excess -= step.items[next++]?.() ?? 0;
        if (excess <= 0) break;
      }
      text = renderModel(model);
    }
    if (measure(text) <= maxLength) return text;
  }
  if (measure(text) <= maxLength) return text;
  throw new ArkSyncError(
    "internal",
    "markdown_limit_too_small",
    `A limit of ${maxLength} is too small for the plan's summary`,
  );
}
