// Plan lines laid out for a ```diff fence: GitHub colours such a block by each line's first character,
// so the action marker moves to column 0 (`~` becomes `!`, comments start with `#`), the rest of the
// line keeps Terraform's columns and styles are dropped. The spans are sanitised where they are built
// and the fence is chosen longer than any backtick run (fenceFor), so nothing in them can leave it.
// Also the one-line form drift falls back to when a comment must be shortened.
import type { ResourceDrift } from "../core/types.js";
import { formatAttributePath, formatValue, sanitizeText } from "./format-value.js";
import type { PlanLine } from "./resource-lines.js";

const SHORT_VALUE_LENGTH = 40;

/** A line for a ```diff fence: the marker in column 0. */
export function formatDiffLine({ marker, level, spans }: PlanLine): string {
  const shown = marker === "~" ? "!" : marker;
  return `${shown}${" ".repeat(4 * level + 4 - shown.length)}${spans.map((span) => span.text).join("")}`;
}

/** One line per drifted resource: each changed attribute with its values, long values shortened. */
export function driftSummaryLine(drift: ResourceDrift): PlanLine {
  const address = sanitizeText(drift.address);
  if (drift.kind === "deleted")
    return { marker: "-", level: 0, spans: [{ text: `${address} has been deleted` }] };
  const changes = drift.changes.map((change) => {
    const live = "live" in change ? change.live : undefined;
    return `${formatAttributePath(change.path)} = ${shortValue(change.last_applied)} -> ${shortValue(live)}`;
  });
  return { marker: "~", level: 0, spans: [{ text: `${address} has changed: ${changes.join("; ")}` }] };
}

function shortValue(value: unknown): string {
  const text = formatValue(value);
  return text.length <= SHORT_VALUE_LENGTH ? text : `${text.slice(0, SHORT_VALUE_LENGTH - 1)}…`;
}
