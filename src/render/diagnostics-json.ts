// `validate --json` (and `plan --json` when the manifests are invalid): one document on stdout,
// `{"valid": bool, "diagnostics": [{file, line, col, severity, code, message}]}`, so a CI reading
// stdout always gets JSON. Valid means no error; warnings alone leave it valid.
import type { Diagnostic } from "../manifest/diagnostic.js";
import { sanitizeJson } from "./format-value.js";

export interface DiagnosticsDocument {
  valid: boolean;
  diagnostics: Diagnostic[];
}

export function diagnosticsDocument(diagnostics: readonly Diagnostic[]): DiagnosticsDocument {
  return {
    valid: !diagnostics.some((d) => d.severity === "error"),
    diagnostics: diagnostics.map(({ file, line, col, severity, code, message }) => ({
      file,
      line,
      col,
      severity,
      code,
      message,
    })),
  };
}

/** The document as JSON text with a final newline; unsafe characters escaped, still valid JSON. */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return `${sanitizeJson(JSON.stringify(diagnosticsDocument(diagnostics), null, 2))}\n`;
}
