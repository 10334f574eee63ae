// A problem found in a manifest, with the position of the offending node, printed as
// `file:line:col: message` (the format of compilers, yamllint and GitHub problem matchers).
import { compareStrings } from "../core/attribute-paths.js";

export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters (UTF-16 code units) from the start of the line. */
  col: number;
  severity: "error" | "warning";
  /** A stable identifier of the rule, e.g. `unknown_attribute` or `yaml_duplicate_key`. */
  code: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  switch (d.severity) {
    case "error":
      return `${where}: ${d.message}`;
    case "warning":
      return `${where}: warning: ${d.message}`;
  }
}

/** Order by file, line, column, then message, so output never depends on discovery order. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) || a.line - b.line || a.col - b.col || compareStrings(a.message, b.message)
  );
}

/** Each problem once: an overlay's default or patch can cause the same problem in many endpoints. */
export function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.col}\0${d.severity}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
