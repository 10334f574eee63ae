// Reads the manifests of one directory (not its bases): finds the files and checks each, overlaid by
// the directory's ark-sync.yaml if it has one (resolve-manifest-file.ts), on worker threads when there
// are many (manifest-pool.ts). The directory's own ark-sync.yaml is not a manifest, nor are the policy
// files it names (docs/manifests.md#policies-and-max_destroy).
import path from "node:path";
import type { Diagnostic } from "./diagnostic.js";
import { findManifestFiles } from "./find-manifest-files.js";
import { CONFIG_FILE, type OverlayConfig } from "./load-config.js";
import { resolveManifestFiles } from "./manifest-pool.js";
import type { Keep } from "./resolve-manifest-file.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";

export interface EndpointDocuments {
  /** In file order. */
  endpoints: SourcedEndpoint[];
  diagnostics: Diagnostic[];
  /** The manifest files found, `path.join(dir, relative)`, sorted. */
  files: string[];
  /** Endpoints valid as written, before the overlay: what the overlay limit counts (limits.ts). */
  written: number;
}

export interface ReadOptions {
  /** Files that may lie under `dir` but are read as something else: the policies its ark-sync.yaml names. */
  otherFiles?: readonly string[];
  /** The directory's ark-sync.yaml, applied to each endpoint. */
  overlay?: OverlayConfig;
  keep: Keep;
}

/** @throws ArkSyncError (kind "input") when `dir` is missing, unreadable or not a directory. */
export async function readEndpointDocuments(
  dir: string,
  { otherFiles = [], overlay, keep }: ReadOptions,
): Promise<EndpointDocuments> {
  const found = await findManifestFiles(dir);
  // Resolved, as a policy may be named by an absolute path while `dir` is relative.
  const skipped = new Set([path.join(dir, CONFIG_FILE), ...otherFiles].map((file) => path.resolve(file)));
  const files = found.files.filter((file) => !skipped.has(path.resolve(file)));
  const diagnostics = [...found.diagnostics];
  const endpoints: SourcedEndpoint[] = [];
  let written = 0;
  for (const resolved of await resolveManifestFiles(files, overlay, keep)) {
    endpoints.push(...resolved.endpoints);
    diagnostics.push(...resolved.diagnostics);
    written += resolved.written;
  }
  return { endpoints, diagnostics, files, written };
}
