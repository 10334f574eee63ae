// One manifest file as its directory resolves it: checked as written (check-manifest-file.ts), then,
// in a directory with an ark-sync.yaml, each endpoint overlaid and checked again (overlay-endpoint.ts).
// Plain data in and out, for the manifest pool.
import { type CheckedFile, checkManifestText } from "./check-manifest-file.js";
import type { OverlayConfig } from "./load-config.js";
import { overlayEndpoints } from "./overlay-endpoint.js";
import { placementIn } from "./provenance.js";
import { type ManifestText, readManifestText } from "./read-manifest-text.js";

/**
 * What is kept of each endpoint: all of it, or, for the directory planned when it has no policies,
 * where its name and moved_from were written: nothing else reads its manifest and provenance then,
 * and they are most of what crosses from a worker and is held until the plan (docs/design.md §11).
 */
export type Keep = "all" | "placement";

export interface ResolvedFile extends CheckedFile {
  /** Endpoints valid as written, before the overlay: what the overlay limit counts (limits.ts). */
  written: number;
}

export async function resolveManifestFile(
  file: string,
  overlay: OverlayConfig | undefined,
  keep: Keep,
): Promise<ResolvedFile> {
  return resolveManifestText(file, await readManifestText(file), overlay, keep);
}

/** The same for a file already read: no I/O, so its cost can be measured (manifest-pool.ts). */
export function resolveManifestText(
  file: string,
  read: ManifestText,
  overlay: OverlayConfig | undefined,
  keep: Keep,
): ResolvedFile {
  let checked = checkManifestText(file, read, keep === "all" ? "full" : "placement");
  let overlaid = overlay === undefined ? checked : overlayEndpoints(checked.endpoints, overlay);
  if (overlay !== undefined && keep === "placement" && overlaid.diagnostics.length > 0) {
    // The overlay places what it reports by where each value was written: read again with all of it.
    // A file whose overlay has nothing to say, the usual case, never records it.
    checked = checkManifestText(file, read, "full");
    overlaid = overlayEndpoints(checked.endpoints, overlay);
  }
  const written = checked.endpoints.length;
  const diagnostics =
    overlay === undefined ? checked.diagnostics : [...checked.diagnostics, ...overlaid.diagnostics];
  const endpoints =
    keep === "all"
      ? overlaid.endpoints
      : overlaid.endpoints.map(({ endpoint, provenance }) => ({
          endpoint,
          manifest: {},
          provenance: overlay === undefined ? provenance : placementIn(provenance),
        }));
  return { endpoints, diagnostics, written };
}
