// One manifest file as its directory resolves it: checked as written (check-manifest-file.ts), then,
// in a directory with an ark-sync.yaml, each endpoint overlaid and checked again (overlay-endpoint.ts).
// Plain data in and out, for the manifest pool.
import { type CheckedFile, checkManifestFile } from "./check-manifest-file.js";
import type { OverlayConfig } from "./load-config.js";
import { overlayEndpoints } from "./overlay-endpoint.js";
import type { Provenance } from "./provenance.js";

/**
 * What is kept of each endpoint: all of it, or, for the directory planned when it has no policies,
 * where its name and moved_from were written: nothing else reads its manifest and provenance then,
 * and they are most of what crosses from a worker and is held until the plan (docs/design.md §11).
 */
export type Keep = "all" | "placement";

/** The pointers load-manifests.ts places an endpoint's problems at. */
const PLACEMENT = ["", "/name", "/moved_from"];

export interface ResolvedFile extends CheckedFile {
  /** Endpoints valid as written, before the overlay: what the overlay limit counts (limits.ts). */
  written: number;
}

export async function resolveManifestFile(
  file: string,
  overlay: OverlayConfig | undefined,
  keep: Keep,
): Promise<ResolvedFile> {
  const checked = await checkManifestFile(file);
  const written = checked.endpoints.length;
  const overlaid = overlay === undefined ? checked : overlayEndpoints(checked.endpoints, overlay);
  const diagnostics =
    overlay === undefined ? checked.diagnostics : [...checked.diagnostics, ...overlaid.diagnostics];
  const endpoints =
    keep === "all"
      ? overlaid.endpoints
      : overlaid.endpoints.map(({ endpoint, provenance }) => ({
          endpoint,
          manifest: {},
          provenance: placementOf(provenance),
        }));
  return { endpoints, diagnostics, written };
}

function placementOf(provenance: Provenance): Provenance {
  const kept: Provenance = new Map();
  for (const pointer of PLACEMENT) {
    const at = provenance.get(pointer);
    if (at !== undefined) kept.set(pointer, at);
  }
  return kept;
}
