// Reads the manifests of one directory (not its bases): finds the files, reads and parses each,
// checks every document as an endpoint, and keeps each valid one with the value it was written as and
// where each of its values was written. The directory's own ark-sync.yaml is not a manifest, nor are the
// policy files it names (docs/manifests.md#policies-and-max_destroy).
import path from "node:path";
import type { DesiredEndpoint, SourceLocation } from "../core/types.js";
import { checkEndpointDocument } from "./check-endpoint-document.js";
import type { Diagnostic } from "./diagnostic.js";
import { findManifestFiles } from "./find-manifest-files.js";
import { limitPerFile } from "./limit-per-file.js";
import { MAX_DIAGNOSTICS_PER_FILE } from "./limits.js";
import { parseYamlDocuments } from "./parse-yaml-documents.js";
import { type Provenance, provenanceOf } from "./provenance.js";
import { type ManifestText, readManifestText } from "./read-manifest-text.js";

/** The name of a directory's own configuration file (docs/manifests.md#overlays-ark-syncyaml). */
export const CONFIG_FILE = "ark-sync.yaml";

const READ_AHEAD = 16;

/** A valid endpoint, the manifest value it was built from, and where that value's parts were written. */
export interface SourcedEndpoint {
  endpoint: DesiredEndpoint;
  manifest: Record<string, unknown>;
  provenance: Provenance;
}

export interface EndpointDocuments {
  /** In file order. */
  endpoints: SourcedEndpoint[];
  diagnostics: Diagnostic[];
  /** The manifest files found, `path.join(dir, relative)`, sorted. */
  files: string[];
}

/**
 * @param otherFiles files that may lie under `dir` but are read as something else: the policies its
 *   ark-sync.yaml names.
 * @throws ArkSyncError (kind "input") when `dir` is missing, unreadable or not a directory.
 */
export async function readEndpointDocuments(
  dir: string,
  otherFiles: readonly string[] = [],
): Promise<EndpointDocuments> {
  const found = await findManifestFiles(dir);
  // Resolved, as a policy may be named by an absolute path while `dir` is relative.
  const skipped = new Set([path.join(dir, CONFIG_FILE), ...otherFiles].map((file) => path.resolve(file)));
  const files = found.files.filter((file) => !skipped.has(path.resolve(file)));
  const diagnostics = [...found.diagnostics];
  const endpoints: SourcedEndpoint[] = [];
  for await (const { file, read } of readAhead(files)) {
    if ("diagnostic" in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const { documents, lineCounter, diagnostics: fileDiagnostics } = parseYamlDocuments(file, read.text);
    const locate = (offset: number): SourceLocation => ({ file, ...lineCounter.linePos(offset) });
    for (const { doc, offset, sound } of documents) {
      // Past the limit nothing more would be shown; a file of 90,000 bad documents stops here.
      if (fileDiagnostics.length > MAX_DIAGNOSTICS_PER_FILE) break;
      if (!sound) continue;
      const lineOf = (at: number) => lineCounter.linePos(at).line;
      const checked = checkEndpointDocument(doc, read.text, locate(offset), lineOf);
      for (const problem of checked.problems) {
        fileDiagnostics.push({
          ...locate(problem.offset),
          severity: "error",
          code: problem.code,
          message: problem.message,
        });
      }
      if (checked.endpoint !== undefined) {
        endpoints.push({
          endpoint: checked.endpoint,
          manifest: doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>,
          provenance: provenanceOf(doc, locate),
        });
      }
    }
    diagnostics.push(...limitPerFile(fileDiagnostics));
  }
  return { endpoints, diagnostics, files };
}

/** Reads the files in order, a few ahead of the one being checked, so parsing overlaps I/O while
 * memory stays bounded (each file is at most MAX_FILE_BYTES). */
async function* readAhead(files: readonly string[]): AsyncGenerator<{ file: string; read: ManifestText }> {
  const pending: Array<Promise<{ file: string; read: ManifestText }>> = [];
  let next = 0;
  for (;;) {
    for (let file = files[next]; pending.length < READ_AHEAD && file !== undefined; file = files[next]) {
      const filePath = file;
      pending.push(readManifestText(filePath).then((read) => ({ file: filePath, read })));
      next++;
    }
    const head = pending.shift();
    if (head === undefined) return;
    yield await head;
  }
}
