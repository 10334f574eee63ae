// What reading a manifest file gives for each valid endpoint, on either path (read-simple-manifest.ts,
// check-manifest-file.ts).
import type { DesiredEndpoint } from "../core/types.js";
import type { Provenance } from "./provenance.js";

/** A valid endpoint, the manifest value it was built from, and where that value's parts were written. */
export interface SourcedEndpoint {
  endpoint: DesiredEndpoint;
  manifest: Record<string, unknown>;
  provenance: Provenance;
}
