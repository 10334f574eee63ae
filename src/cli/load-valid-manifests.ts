// The first step of every command that plans: load the manifests, print every problem, and stop
// before anything is read from or sent to Ark when any manifest is invalid.
import { ArkSyncError } from "../core/errors.js";
import { formatDiagnostic } from "../manifest/diagnostic.js";
import { loadManifests, type ManifestSet } from "../manifest/load-manifests.js";
import type { Io } from "./io.js";

export async function loadValidManifests(dir: string, io: Io): Promise<ManifestSet> {
  const manifests = await loadManifests(dir);
  for (const diagnostic of manifests.diagnostics) io.err(`${formatDiagnostic(diagnostic)}\n`);
  const errors = manifests.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    throw new ArkSyncError(
      "input",
      "invalid_manifests",
      `${errors} ${errors === 1 ? "problem" : "problems"} in the manifests in ${dir}; nothing was read from or sent to Ark.`,
      { hint: `Fix them (ark-sync validate ${dir} lists them again), then rerun.` },
    );
  }
  return manifests;
}
