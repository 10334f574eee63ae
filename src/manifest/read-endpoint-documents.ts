// Reads the manifests of one directory (not its bases): finds the files and checks each
// (check-manifest-file.ts), on worker threads when there are many (manifest-pool.ts). The directory's own ark-sync.yaml is not a manifest, nor are the
// policy files it names (docs/manifests.md#policies-and-max_destroy).
import path from "node:path";
import type { SourcedEndpoint } from "./check-manifest-file.js";
import type { Diagnostic } from "./diagnostic.js";
import { findManifestFiles } from "./find-manifest-files.js";
import { checkManifestFiles } from "./manifest-pool.js";

/** The name of a directory's own configuration file (docs/manifests.md#overlays-ark-syncyaml). */
export const CONFIG_FILE = "ark-sync.yaml";

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
  for (const checked of await checkManifestFiles(files)) {
    endpoints.push(...checked.endpoints);
    diagnostics.push(...checked.diagnostics);
  }
  return { endpoints, diagnostics, files };
}
