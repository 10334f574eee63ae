// A hostile file can hold thousands of problems: show the first ones and one line for the rest.
import { compareDiagnostics, type Diagnostic, uniqueDiagnostics } from "./diagnostic.js";
import { MAX_DIAGNOSTICS_PER_FILE } from "./limits.js";

export function limitPerFile(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS_PER_FILE) return diagnostics;
  const sorted = uniqueDiagnostics(diagnostics).sort(compareDiagnostics);
  const shown = sorted.slice(0, MAX_DIAGNOSTICS_PER_FILE);
  const hidden = sorted.slice(MAX_DIAGNOSTICS_PER_FILE);
  const next = hidden[0];
  if (next === undefined) return shown;
  const severity = hidden.some((d) => d.severity === "error") ? "error" : "warning";
  const message = "more problems in this file are not shown; fix the ones above first";
  return [...shown, { ...next, severity, code: "too_many_problems", message }];
}
