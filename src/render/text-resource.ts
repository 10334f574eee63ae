// Plan lines drawn for a terminal, in Terraform's columns: the 3-column action gutter moves 4 spaces per
// level; a comment's `#` sits in the gutter for a resource header and where the keys start inside a
// block, and takes the colour of the text it introduces.
import type { ResourceChange, ResourceDrift } from "../core/types.js";
import type { Palette } from "./palette.js";
import {
  type ActionMarker,
  type PlanLine,
  resourceChangeLines,
  resourceDriftLines,
  type Span,
  type SpanStyle,
} from "./resource-lines.js";

/** The resource's block, header comments included, as lines without trailing newlines. */
export function renderResourceChange(
  resource: ResourceChange,
  drift: ResourceDrift | undefined,
  palette: Palette,
): string[] {
  return resourceChangeLines(resource, drift).map((line) => formatTextLine(line, palette));
}

/** A drifted resource for the "changed outside ark-sync" section, one line per drifted leaf. */
export function renderResourceDrift(drift: ResourceDrift, palette: Palette): string[] {
  return resourceDriftLines(drift).map((line) => formatTextLine(line, palette));
}

/** The 3-column action gutter: `  +`, `  -`, `  ~`, `-/+`, `+/-`, or three spaces. */
export function formatGutter(marker: ActionMarker, palette: Palette): string {
  switch (marker) {
    case "+":
      return `  ${palette.create("+")}`;
    case "-":
      return `  ${palette.destroy("-")}`;
    case "~":
      return `  ${palette.update("~")}`;
    case "-/+":
      return `${palette.destroy("-")}/${palette.create("+")}`;
    case "+/-":
      return `${palette.create("+")}/${palette.destroy("-")}`;
    case " ":
      return "   ";
  }
}

function formatTextLine({ marker, level, spans }: PlanLine, palette: Palette): string {
  if (marker !== "#")
    return `${"    ".repeat(level)}${formatGutter(marker, palette)} ${formatSpans(spans, palette)}`;
  const [first = { text: "" }, ...rest] = spans;
  const [indent, hash] = level === 0 ? ["", "  # "] : [" ".repeat(4 * level + 4), "# "];
  return `${indent}${formatSpans([{ ...first, text: `${hash}${first.text}` }, ...rest], palette)}`;
}

function formatSpans(spans: Span[], palette: Palette): string {
  return spans
    .map(({ text, style }) => (style === undefined ? text : stylize(text, style, palette)))
    .join("");
}

function stylize(text: string, style: SpanStyle, palette: Palette): string {
  switch (style) {
    case "bold":
      return palette.bold(text);
    case "bold-destroy":
      return palette.bold(palette.destroy(text));
    case "destroy":
      return palette.destroy(text);
    case "update":
      return palette.update(text);
    case "dim":
      return palette.dim(text);
  }
}
