// Resolves a manifest directory into its endpoints (docs/manifests.md#overlays-ark-syncyaml,
// docs/design.md §2). Without an ark-sync.yaml they are its manifests; with one, in this order: resolve
// the bases, apply the patches to their endpoints, add the directory's own manifests, then give every
// endpoint the defaults and common tags it does not set, then the name prefix and suffix. Each value
// keeps where it was written, so every problem is reported there. Bases lie in the repository
// (locate-base.ts), and one run resolves each directory once, within the limits of limits.ts.
import { realpath } from "node:fs/promises";
import { type Diagnostic, uniqueDiagnostics } from "./diagnostic.js";
import { MAX_BASE_DEPTH, MAX_BASE_DIRECTORIES, MAX_OVERLAY_ENDPOINTS } from "./limits.js";
import {
  type DirectoryConnection,
  type DirectoryRules,
  type LoadedConfig,
  loadConfig,
  type OverlayConfig,
} from "./load-config.js";
import { locateBase } from "./locate-base.js";
import { overlayEndpoints } from "./overlay-endpoint.js";
import { patchEndpoint } from "./patch-endpoint.js";
import { quote } from "./quote.js";
import { readEndpointDocuments } from "./read-endpoint-documents.js";
import { findRepositoryRoot } from "./repository-root.js";
import type { SourcedEndpoint } from "./sourced-endpoint.js";
import { suggestName } from "./suggest-name.js";

export interface ResolvedDirectory {
  /** Bases' endpoints first, then the directory's own, each in file order. */
  endpoints: SourcedEndpoint[];
  diagnostics: Diagnostic[];
  /** Every manifest file read, the bases' included. */
  files: string[];
  /** From the directory's own ark-sync.yaml; empty without one. */
  connection: DirectoryConnection;
  /** From the directory's own ark-sync.yaml (not its bases'); no policies and no limit without one. */
  rules: DirectoryRules;
}

/** An overlay on the way to a base: its real path finds a cycle, its name as reached reports it. */
interface ChainLink {
  real: string;
  /** As the directory given names it (`path.join(dir, base)`), like every diagnostic's file. */
  named: string;
}

/** One run's resolution: each directory is resolved once, within the limits of limits.ts. */
interface Run {
  /** The real path every base must lie in (repository-root.ts). */
  root: string;
  /** Each directory's resolution by real path: a base reached by two routes is resolved once. */
  resolved: Map<string, Promise<ResolvedDirectory>>;
  /** How many more endpoints overlays may resolve in this run. */
  endpointsLeft: number;
}

/**
 * @param loaded `dir`'s ark-sync.yaml when the caller has read it already.
 * @throws ArkSyncError (kind "input") when `dir` is missing, unreadable or not a directory.
 */
export async function resolveDirectory(dir: string, loaded?: LoadedConfig): Promise<ResolvedDirectory> {
  const run: Run = {
    root: await findRepositoryRoot(dir),
    resolved: new Map(),
    endpointsLeft: MAX_OVERLAY_ENDPOINTS,
  };
  return resolveWithin(dir, [], run, loaded);
}

/** @param chain the overlays that led here, for finding and naming a cycle. */
async function resolveWithin(
  dir: string,
  chain: readonly ChainLink[],
  run: Run,
  given?: LoadedConfig,
): Promise<ResolvedDirectory> {
  const loaded = given ?? (await loadConfig(dir));
  const { config } = loaded;
  if (config === undefined) {
    const { endpoints, files, ...own } = await readEndpointDocuments(dir, {
      keep: chain.length === 0 ? "placement" : "all",
    });
    return {
      endpoints,
      files,
      diagnostics: [...loaded.diagnostics, ...own.diagnostics],
      connection: {},
      rules: { policies: [] },
    };
  }
  const here = [...chain, { real: await realpath(dir), named: dir }];
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const bases: SourcedEndpoint[] = [];
  for (const base of config.bases) {
    const refuse = (message: string) =>
      diagnostics.push({ ...base.at, severity: "error", code: "bad_base", message });
    const located = await checkBase(base.value, here, run);
    if ("problem" in located) {
      refuse(located.problem);
      continue;
    }
    let resolution = run.resolved.get(located.real);
    if (resolution === undefined) {
      resolution = resolveWithin(base.value, here, run);
      run.resolved.set(located.real, resolution);
    }
    const resolved = await resolution;
    diagnostics.push(...resolved.diagnostics);
    files.push(...resolved.files);
    const brought = bases.length + resolved.endpoints.length;
    if (brought > run.endpointsLeft) {
      refuse(
        `base ${quote(base.value)} would bring this overlay to ${brought} endpoints, with ${run.endpointsLeft} left of the ${MAX_OVERLAY_ENDPOINTS} one run resolves through overlays (each counted once per overlay it passes); do bases reach one directory by several routes?`,
      );
      continue;
    }
    bases.push(...resolved.endpoints);
  }
  const fromBases = applyPatches(bases, config, diagnostics);
  const patched = overlayEndpoints(fromBases, config);
  // The directory's own manifests are overlaid where they are checked, on the pool when it runs.
  const policies = config.rules.policies.map(({ value }) => value);
  // A base's endpoints are patched by the overlays above it, and policies read every value.
  const keep = chain.length === 0 && policies.length === 0 ? "placement" : "all";
  const own = await readEndpointDocuments(dir, { otherFiles: policies, overlay: config, keep });
  diagnostics.push(...patched.diagnostics, ...own.diagnostics);
  files.push(...own.files);
  const endpoints = [...patched.endpoints, ...own.endpoints];
  run.endpointsLeft = Math.max(0, run.endpointsLeft - fromBases.length - own.written);
  // Each once: a base reached by two routes would otherwise double them on every level.
  return {
    endpoints,
    diagnostics: uniqueDiagnostics(diagnostics),
    files: [...new Set(files)],
    connection: config.connection,
    rules: config.rules,
  };
}

/** The base's real path, or why it cannot be resolved from here: it is no directory in the repository
 * (locate-base.ts), it leads back to an overlay, or it passes a limit of limits.ts. */
async function checkBase(
  base: string,
  here: readonly ChainLink[],
  run: Run,
): Promise<{ real: string } | { problem: string }> {
  const located = await locateBase(base, run.root);
  if ("problem" in located) return located;
  const cycle = findCycle(located.real, here);
  if (cycle !== undefined) return { problem: cycle };
  if (here.length > MAX_BASE_DEPTH) {
    return { problem: `bases nest deeper than ${MAX_BASE_DEPTH} levels below ${here[0]?.named}` };
  }
  if (!run.resolved.has(located.real) && run.resolved.size >= MAX_BASE_DIRECTORIES) {
    return {
      problem: `base ${quote(base)} would be directory ${MAX_BASE_DIRECTORIES + 1} of this run's bases, past the limit of ${MAX_BASE_DIRECTORIES}`,
    };
  }
  return located;
}

/** The message naming the cycle `real` closes, if it leads back to an overlay on the way here. */
function findCycle(real: string, here: readonly ChainLink[]): string | undefined {
  const start = here.findIndex((link) => link.real === real);
  if (start === -1) return undefined;
  const cycle = here.slice(start).map((link) => link.named);
  // Closed with the name it started with, so the chain reads as the loop it is.
  return `bases form a cycle: ${[...cycle, cycle[0]].join(" -> ")}`;
}

function applyPatches(
  bases: readonly SourcedEndpoint[],
  config: OverlayConfig,
  diagnostics: Diagnostic[],
): Array<Pick<SourcedEndpoint, "manifest" | "provenance">> {
  const result = bases.map(({ manifest, provenance }) => ({ manifest, provenance }));
  const index = new Map<string, number>();
  bases.forEach(({ endpoint }, at) => {
    if (!index.has(endpoint.address)) index.set(endpoint.address, at);
  });
  for (const { target, operations } of config.patches) {
    const at = index.get(target.value);
    const entry = at === undefined ? undefined : result[at];
    if (at === undefined || entry === undefined) {
      const suggestion = suggestName(target.value, [...index.keys()]);
      const hint = suggestion === undefined ? "" : `; did you mean ${quote(suggestion)}?`;
      const message = `patch target ${quote(target.value)} is no endpoint of the bases (an address <project_name>/<name> before name_prefix and name_suffix)${hint}`;
      diagnostics.push({ ...target.at, severity: "error", code: "patch_target_missing", message });
      continue;
    }
    const outcome = patchEndpoint(target.value, entry.manifest, entry.provenance, operations);
    diagnostics.push(...outcome.diagnostics);
    result[at] = { manifest: outcome.manifest, provenance: outcome.provenance };
  }
  return result;
}
