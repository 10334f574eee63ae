// Loads a manifest directory: resolves its endpoints (its manifests, and its bases and overlay when it
// has an ark-sync.yaml), checks the rules across endpoints and the directory's policies, and returns the valid endpoints with every
// problem found, positioned and sorted. Problems are values, not exceptions; only a missing or
// unreadable directory throws.

import { compareStrings } from "../core/attribute-paths.js";
import type { DesiredEndpoint, SourceLocation } from "../core/types.js";
import { checkMoves, type PlacedEndpoint } from "./check-moves.js";
import { checkPolicies } from "./check-policies.js";
import { compareDiagnostics, type Diagnostic, uniqueDiagnostics } from "./diagnostic.js";
import type { DirectoryConnection, LoadedConfig } from "./load-config.js";
import { locationOf } from "./provenance.js";
import { quote } from "./quote.js";
import { resolveDirectory } from "./resolve-overlay.js";

export interface ManifestSet {
  /** Valid endpoints, sorted by address. */
  endpoints: DesiredEndpoint[];
  /** Every problem found, sorted by file, line and column. */
  diagnostics: Diagnostic[];
  /** The manifest files read (the bases' too), `path.join(dir, relative)`, sorted. */
  files: string[];
  /** The region, API URL and state the directory's ark-sync.yaml names, if any. */
  connection: DirectoryConnection;
  /** ark-sync.yaml's max_destroy: the most endpoints one plan may destroy or replace; absent: no limit. */
  maxDestroy?: number;
}

/**
 * @param config `dir`'s ark-sync.yaml when the caller has read it already (loadConfig).
 * @throws ArkSyncError (kind "input") when `dir` is missing, unreadable or not a directory.
 */
export async function loadManifests(dir: string, config?: LoadedConfig): Promise<ManifestSet> {
  const resolved = await resolveDirectory(dir, config);
  const found = resolved.endpoints.map(({ endpoint, provenance }): PlacedEndpoint => {
    const movedFrom =
      endpoint.moved_from === undefined ? {} : { movedFrom: locationOf(provenance, ["moved_from"]) };
    return { endpoint, name: locationOf(provenance, ["name"]), ...movedFrom };
  });
  const diagnostics = [...resolved.diagnostics];
  const placed = rejectDuplicateAddresses(found, diagnostics);
  diagnostics.push(...checkMoves(placed));
  diagnostics.push(...(await checkPolicies(resolved.rules.policies, resolved.endpoints)));
  const endpoints = placed.map(({ endpoint }) => endpoint);
  endpoints.sort((a, b) => compareStrings(a.address, b.address));
  return {
    endpoints,
    diagnostics: uniqueDiagnostics(diagnostics).sort(compareDiagnostics),
    files: [...new Set(resolved.files)].sort(compareStrings),
    connection: resolved.connection,
    ...(resolved.rules.maxDestroy === undefined ? {} : { maxDestroy: resolved.rules.maxDestroy }),
  };
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
