// Manifest problems on stderr, one `file:line:col: message` a line. Messages quote values already
// escaped (src/manifest/quote.ts), but file names come from the file system as they are: each line
// goes through the plan's sanitiser too.
import { type Diagnostic, formatDiagnostic } from "../manifest/diagnostic.js";
import { sanitizeText } from "../render/format-value.js";
import type { Io } from "./context.js";

export function printDiagnostics(diagnostics: readonly Diagnostic[], io: Pick<Io, "err">): void {
  for (const diagnostic of diagnostics) io.err(`${sanitizeText(formatDiagnostic(diagnostic))}\n`);
}
