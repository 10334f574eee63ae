// `ark-sync validate [DIR]`: every problem on stderr as file:line:col (and as annotations in GitHub
// Actions), then a one-line summary. With `--json`, stdout carries `{"valid", "diagnostics"}` only
// (the annotations go to stderr, where the runner reads them too).

import { loadManifests } from "../manifest/load-manifests.js";
import { renderDiagnosticsJson } from "../render/diagnostics-json.js";
import { sanitizeText } from "../render/format-value.js";
import type { AppContext, ExitCode } from "./context.js";
import { printDiagnostics } from "./print-diagnostics.js";

export interface ValidateOptions {
  dir: string;
  /** Print `{"valid", "diagnostics"}` on stdout instead of the success line (src/render/diagnostics-json.ts). */
  json?: boolean;
}

export async function run(options: ValidateOptions, ctx: AppContext): Promise<ExitCode> {
  const { io } = ctx;
  const { endpoints, diagnostics, files } = await loadManifests(options.dir);
  printDiagnostics(diagnostics, io);
  if (ctx.env.GITHUB_ACTIONS === "true") {
    const { reportDiagnosticsToGitHub } = await import("../github/annotations.js");
    // With --json, stdout holds the document only.
    await reportDiagnosticsToGitHub(diagnostics, {
      env: ctx.env,
      write: options.json ? io.errCommand : io.command,
    });
  }
  if (options.json) io.out(renderDiagnosticsJson(diagnostics));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const failedFiles = new Set(errors.map((d) => d.file)).size;
    io.err(`${count(errors.length, "error")} in ${count(failedFiles, "file")}.\n`);
    return 1;
  }
  if (files.length === 0)
    io.err(`warning: no manifests (*.yaml, *.yml) found in ${sanitizeText(options.dir)}\n`);
  const success = `Success! ${count(endpoints.length, "endpoint")} in ${count(files.length, "file")} ${endpoints.length === 1 ? "is" : "are"} valid.\n`;
  // With --json, stdout holds the document only; the success line goes to stderr.
  (options.json ? io.err : io.out)(success);
  return 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
