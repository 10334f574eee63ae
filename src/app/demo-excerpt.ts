// What `ark-sync demo` shows of each step without --verbose, so the tour stays within 120 lines:
// - "whole": everything the command prints;
// - "outcome": stdout's last `Plan: …`, `No changes.` or `Apply complete! …` line, and of stderr only
//   apply's per-endpoint progress (`<address>: Creating...`, docs/apply.md);
// - "none": stderr only (import says there what it did).
// Blank lines on stderr are dropped (stdout shown whole starts with one). A step that fails prints everything it held back, so nothing that
// explains a failure is hidden.
import type { AppContext, ExitCode } from "./context.js";

export type Shown = "whole" | "outcome" | "none";

const OUTCOME = /^(Plan: |No changes\.|Apply complete! )/;
const PROGRESS = /^[^\s:]+\/[^\s:]+: /;

export async function runExcerpted(
  shown: Shown,
  ctx: AppContext,
  command: (ctx: AppContext) => Promise<ExitCode>,
): Promise<ExitCode> {
  let stdout = "";
  let heldErr = "";
  const err = (text: string) => {
    for (const line of text.split("\n").filter((line) => line !== "")) {
      if (shown !== "outcome" || PROGRESS.test(stripColor(line))) ctx.io.err(`${line}\n`);
      else heldErr += `${line}\n`;
    }
  };
  let code: ExitCode | undefined;
  try {
    code = await command({ ...ctx, io: { ...ctx.io, out: (text) => (stdout += text), err } });
    return code;
  } finally {
    if (code === 0) ctx.io.out(excerpt(stdout, shown));
    else {
      if (heldErr !== "") ctx.io.err(heldErr);
      ctx.io.out(stdout);
    }
  }
}

function excerpt(stdout: string, shown: Shown): string {
  switch (shown) {
    case "whole":
      return `\n${stdout}`;
    case "outcome": {
      const outcome = stdout
        .split("\n")
        .filter((line) => OUTCOME.test(stripColor(line)))
        .at(-1);
      return outcome === undefined ? "" : `${outcome}\n`;
    }
    case "none":
      return "";
  }
}

function stripColor(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour sequences start with ESC.
  return line.replace(/\u001b\[[0-9;]*m/g, "");
}
