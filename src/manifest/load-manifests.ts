// Loads a manifest directory: finds the files, reads and parses each, checks every document, and
// returns the valid endpoints with every problem found, positioned and sorted. Problems are values,
// not exceptions; only a missing or unreadable directory throws.

import { compareStrings } from "../core/attribute-paths.js";
import type { DesiredEndpoint, SourceLocation } from "../core/types.js";
import { checkEndpointDocument } from "./check-endpoint-document.js";
import { checkMoves, type PlacedEndpoint } from "./check-moves.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostic.js";
import { findManifestFiles } from "./find-manifest-files.js";
import { MAX_DIAGNOSTICS_PER_FILE } from "./limits.js";
import { locateNode } from "./locate-node.js";
import { parseYamlDocuments } from "./parse-yaml-documents.js";
import { quote } from "./quote.js";
import { type ManifestText, readManifestText } from "./read-manifest-text.js";

const READ_AHEAD = 16;

export interface ManifestSet {
  /** Valid endpoints, sorted by address. */
  endpoints: DesiredEndpoint[];
  /** Every problem found, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** The manifest files found, `path.join(dir, relative)`, sorted. */
  files: string[];
}

/** @throws ArkSyncError (kind "input") when `dir` is missing, unreadable or not a directory. */
export async function loadManifests(dir: string): Promise<ManifestSet> {
  const { files, diagnostics } = await findManifestFiles(dir);
  const found: PlacedEndpoint[] = [];
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
        const at = (key: string) => locate(locateNode(doc, [key])?.range?.[0] ?? offset);
        const movedFrom = checked.endpoint.moved_from === undefined ? {} : { movedFrom: at("moved_from") };
        found.push({ endpoint: checked.endpoint, name: at("name"), ...movedFrom });
      }
    }
    diagnostics.push(...limitPerFile(fileDiagnostics));
  }
  const placed = rejectDuplicateAddresses(found, diagnostics);
  diagnostics.push(...checkMoves(placed));
  const endpoints = placed.map(({ endpoint }) => endpoint);
  endpoints.sort((a, b) => compareStrings(a.address, b.address));
  return { endpoints, diagnostics: unique(diagnostics).sort(compareDiagnostics), files };
}

/** Reads the files in order, a few ahead of the one being checked, so parsing overlaps I/O while
 * memory stays bounded (each file is at most MAX_FILE_BYTES). */
async function* readAhead(files: readonly string[]): AsyncGenerator<{ file: string; read: ManifestText }> {
  const pending: Array<Promise<{ file: string; read: ManifestText }>> = [];
  let next = 0;
  for (;;) {
    for (let file = files[next]; pending.length < READ_AHEAD && file !== undefined; file = files[next]) {
      const path = file;
      pending.push(readManifestText(path).then((read) => ({ file: path, read })));
      next++;
    }
    const head = pending.shift();
    if (head === undefined) return;
    yield await head;
  }
}

/** Keeps the first endpoint of each address; each later one is an error that names the first. */
function rejectDuplicateAddresses(found: PlacedEndpoint[], diagnostics: Diagnostic[]): PlacedEndpoint[] {
  const first = new Map<string, SourceLocation>();
  const kept: PlacedEndpoint[] = [];
  for (const entry of found) {
    const { endpoint, name } = entry;
    const earlier = first.get(endpoint.address);
    if (earlier === undefined) {
      first.set(endpoint.address, name);
      kept.push(entry);
      continue;
    }
    const message = `duplicate address ${quote(endpoint.address)} (<project_name>/<name>): first defined at ${earlier.file}:${earlier.line}:${earlier.col}`;
    diagnostics.push({ ...name, severity: "error", code: "duplicate_address", message });
  }
  return kept;
}

/** A hostile file can hold thousands of problems: show the first ones and one line for the rest. */
function limitPerFile(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS_PER_FILE) return diagnostics;
  const sorted = unique(diagnostics).sort(compareDiagnostics);
  const shown = sorted.slice(0, MAX_DIAGNOSTICS_PER_FILE);
  const hidden = sorted.slice(MAX_DIAGNOSTICS_PER_FILE);
  const next = hidden[0];
  if (next === undefined) return shown;
  const severity = hidden.some((d) => d.severity === "error") ? "error" : "warning";
  const message = "more problems in this file are not shown; fix the ones above first";
  return [...shown, { ...next, severity, code: "too_many_problems", message }];
}

function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.col}\0${d.severity}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
