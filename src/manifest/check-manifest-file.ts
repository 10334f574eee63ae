// Reads, parses and checks one manifest file: every document as an endpoint, each valid one kept with
// the value it was written as and where each of its values was written. A plainly written file of
// valid endpoints takes the fast path (read-simple-manifest.ts); any other is composed by yaml here.
// Plain data in and out, so it runs the same on a worker thread (manifest-worker.ts) as inline.
import type { SourceLocation } from "../core/types.js";
import { checkEndpointDocument } from "./check-endpoint-document.js";
import type { Diagnostic } from "./diagnostic.js";
import { limitPerFile } from "./limit-per-file.js";
import { MAX_DIAGNOSTICS_PER_FILE } from "./limits.js";
import { forEachYamlDocument } from "./parse-yaml-documents.js";
import { placementOf, provenanceOf } from "./provenance.js";
import { type ManifestText, readManifestText } from "./read-manifest-text.js";
import { readSimpleManifest } from "./read-simple-manifest.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

export interface CheckedFile {
  /** In file order. */
  endpoints: SourcedEndpoint[];
  /** At most MAX_DIAGNOSTICS_PER_FILE and a line saying more are not shown. */
  diagnostics: Diagnostic[];
}

/** @param recorded each endpoint's provenance in full, or only where resolve-manifest-file.ts's
 *   "placement" needs it. */
export async function checkManifestFile(
  file: string,
  recorded: "full" | "placement" = "full",
): Promise<CheckedFile> {
  return checkManifestText(file, await readManifestText(file), recorded);
}

/** The same for a file already read: no I/O, so its cost can be measured (manifest-pool.ts). */
export function checkManifestText(
  file: string,
  read: ManifestText,
  recorded: "full" | "placement",
): CheckedFile {
  if ("diagnostic" in read) return { endpoints: [], diagnostics: [read.diagnostic] };
  const simple = readSimpleManifest(file, read.text, recorded);
  if (simple !== null) return { endpoints: simple, diagnostics: [] };
  return checkComposedManifest(file, read.text, recorded);
}

/** The manifest's text read through yaml's composed Documents: any file, with every problem placed. */
export function checkComposedManifest(
  file: string,
  text: string,
  recorded: "full" | "placement",
): CheckedFile {
  const endpoints: SourcedEndpoint[] = [];
  // Each document is checked as it is composed, and only what it becomes is kept.
  const parsed = forEachYamlDocument(file, text, ({ doc, offset, sound }, { lineCounter, diagnostics }) => {
    // Past the limit nothing more would be shown; a file of 90,000 bad documents checks no further.
    if (!sound || diagnostics.length > MAX_DIAGNOSTICS_PER_FILE) return;
    const locate = (at: number): SourceLocation => ({ file, ...lineCounter.linePos(at) });
    const checked = checkEndpointDocument(doc, text, locate(offset), (at) => lineCounter.linePos(at).line);
    for (const problem of checked.problems) {
      diagnostics.push({
        ...locate(problem.offset),
        severity: "error",
        code: problem.code,
        message: problem.message,
      });
    }
    if (checked.endpoint !== undefined) {
      endpoints.push({
        endpoint: checked.endpoint,
        // Sound documents that pass the schema are mappings.
        manifest: checked.value as Record<string, unknown>,
        provenance: recorded === "full" ? provenanceOf(doc, locate) : placementOf(doc, locate),
      });
    }
  });
  if (parsed.tooDeep) return { endpoints: [], diagnostics: parsed.diagnostics };
  return { endpoints, diagnostics: limitPerFile(parsed.diagnostics) };
}
