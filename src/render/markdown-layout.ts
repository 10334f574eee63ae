// The Markdown plan's layout (docs/github.md, "The pull-request comment"): the summary line and the count
// table, then the Caution, drift, warning and "no longer managed" boxes, outside any fold; then the resources. Long lists
// show their first items and fold the rest in a <details>, so a plan of thousands opens short; a
// bigger plan groups its resources in one fold per kind of change, destroys and replacements first.

import { fencedBlock } from "./markdown-escape.js";
import type { BulletItem, Model } from "./markdown-model.js";
import { alert, plural } from "./markdown-model.js";
import { GROUP_ORDER, groupSummary, type ResourceGroup } from "./markdown-overview.js";

/** A list (destroys, drift, warnings) shows this many items, then folds the rest. */
const SHOWN_BEFORE_FOLD = 10;
/** A group's fold starts open when it holds at most this many resources. */
const OPEN_GROUP_MAX = 10;

export function renderModel(model: Model): string {
  const sections = [model.head, model.overview];
  sections.push(
    bulletAlert("CAUTION", "**This plan cannot be applied:**", model.errors, "errors", model.hint),
  );
  sections.push(
    bulletAlert(
      "CAUTION",
      model.destroys.heading,
      model.destroys.bullets,
      "destroys and replacements",
      model.hint,
    ),
  );
  sections.push(renderDrift(model));
  sections.push(bulletList("**Warnings**", model.warnings, "warnings", model.hint));
  sections.push(
    bulletAlert(
      "NOTE",
      model.noLongerManaged.heading,
      model.noLongerManaged.bullets,
      "values no longer managed",
      model.hint,
    ),
  );
  if (model.grouped) sections.push(...GROUP_ORDER.map((group) => renderGroup(model, group)));
  else {
    // A small plan: each diff open, in address order, as in the text plan.
    sections.push(...model.resources.filter((item) => item.state === "full").map((item) => item.details));
    sections.push(...GROUP_ORDER.flatMap((group) => withoutDiffs(model, group)));
  }
  sections.push(model.tail);
  return `${sections.filter(Boolean).join("\n\n")}\n`;
}

function renderDrift(model: Model): string {
  const { items, heading, fence } = model.drift;
  if (items.length === 0) return "";
  const shown = items.flatMap((item) =>
    item.state === "block" ? [item.block] : item.state === "line" ? [item.line] : [],
  );
  const omitted = items.length - shown.length;
  const parts = [alert("WARNING", heading)];
  const [first, rest] = [shown.slice(0, SHOWN_BEFORE_FOLD), shown.slice(SHOWN_BEFORE_FOLD)];
  if (first.length > 0) parts.push(fencedBlock("diff", first, fence));
  if (rest.length > 0) {
    parts.push(fold(`${plural(rest.length, "more drifted endpoint")}`, fencedBlock("diff", rest, fence)));
  }
  if (omitted > 0) parts.push(`**${plural(omitted, "drifted endpoint")} omitted; see ${model.hint}.**`);
  return parts.join("\n\n");
}

/** One kind of change in its fold: each resource's diff, then the rest without theirs. Destroys and
 * replacements named only in the Caution box are not repeated. */
function renderGroup(model: Model, group: ResourceGroup): string {
  const items = model.resources.filter((item) => item.group === group);
  const parts = [
    ...items.filter((item) => item.state === "full").map((item) => item.details),
    ...withoutDiffs(model, group),
  ];
  if (parts.length === 0) return "";
  const open = items.length <= OPEN_GROUP_MAX ? " open" : "";
  return `<details${open}><summary><b>${groupSummary(group, items.length)}</b></summary>\n\n${parts.join("\n\n")}\n\n</details>`;
}

/** The compact list of those shown without their diff, and a count of those not even named. */
function withoutDiffs(model: Model, group: ResourceGroup): string[] {
  const items = model.resources.filter((item) => item.group === group);
  const named = items.filter((item) => item.state === "named");
  const omitted = items.filter((item) => item.state === "omitted").length;
  const parts: string[] = [];
  if (named.length > 0) {
    parts.push(
      `**${groupSummary(group, named.length)}** without their diffs (see ${model.hint}): ${named.map((item) => item.name).join(", ")}`,
    );
  }
  if (omitted > 0) {
    parts.push(
      `**... and ${groupSummary(group, omitted)}, not named here; see ${model.hint}.** (GitHub limits how long this text can be.)`,
    );
  }
  return parts;
}

function bulletAlert(kind: string, heading: string, items: BulletItem[], noun: string, hint: string): string {
  if (items.length === 0) return "";
  return alert(kind, bulletList(heading, items, noun, hint));
}

/** The heading, the first bullets, the rest in a fold, and a count of those left out for length. */
function bulletList(heading: string, items: BulletItem[], noun: string, hint: string): string {
  if (items.length === 0) return "";
  const lines = items.filter((item) => item.shown).map((item) => `- ${item.text}`);
  const [first, rest] = [lines.slice(0, SHOWN_BEFORE_FOLD), lines.slice(SHOWN_BEFORE_FOLD)];
  const hidden = items.length - lines.length;
  if (hidden > 0) (rest.length > 0 ? rest : first).push(`- **... and ${hidden} more ${noun}; see ${hint}.**`);
  const parts = [heading, first.join("\n")];
  if (rest.length > 0) parts.push(fold(`${lines.length - first.length} more ${noun}`, rest.join("\n")));
  return parts.join("\n\n");
}

/** A closed <details>; `summary` is our own text, never the plan's. */
function fold(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
