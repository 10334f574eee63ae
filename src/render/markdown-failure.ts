// The Markdown for a directory that could not be planned (`plan --all` saved no plan for it): it
// replaces the directory's earlier plan on the pull request, so no reviewer reads a stale plan as
// this commit's. The error text may quote manifests, so it goes into a fence nothing can close.

import { sanitizeText } from "./format-value.js";
import { codeSpan, fencedBlock } from "./markdown-escape.js";
import { alert } from "./markdown-model.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts a terminal colour
const ANSI_STYLE = /\u001b\[[0-9;]*m/g;

/** The most of the error shown; the job log has all of it. */
const ERROR_TEXT_MAX = 8_000;

export function renderPlanFailureMarkdown(directory: string, error: string): string {
  const text =
    error.length > ERROR_TEXT_MAX
      ? `${error.slice(0, ERROR_TEXT_MAX)}\n… (cut; the job log has all of it)`
      : error;
  const lines = text.replace(ANSI_STYLE, "").trimEnd().split("\n").map(sanitizeText);
  return [
    `### ark-sync plan for ${codeSpan(directory)} failed`,
    alert(
      "CAUTION",
      "This directory could not be planned, so there is no plan to review and nothing in it will be applied until its plan succeeds.",
    ),
    fencedBlock("text", lines),
  ].join("\n\n");
}
