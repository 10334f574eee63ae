// Turns any thrown value into the message a user sees on stderr, and the exit code. Messages quote
// names from Ark, manifests, state, locks and arguments, so the whole text goes through the plan's
// sanitiser (src/render/format-value.ts): no name can clear, recolour or reorder the terminal.
import { isArkSyncError } from "../core/errors.js";
import { sanitizeLines } from "../render/format-value.js";

export function describeError(error: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (isArkSyncError(error)) {
    lines.push(`Error: ${error.message}`);
    if (error.hint) lines.push(`Hint: ${error.hint}`);
    if (error.kind === "internal")
      lines.push("This is a bug in ark-sync; please report it with --debug output.");
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`Error: unexpected failure: ${message}`);
    lines.push("This is a bug in ark-sync; please report it with --debug output.");
  }
  if (debug && error instanceof Error && error.stack) lines.push("", error.stack);
  return `${sanitizeLines(lines.join("\n"))}\n`;
}
