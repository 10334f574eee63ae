// The trees `npm run bench:parse` plans offline: 10,000 endpoints in 100 files in one directory, and
// the plan-all fleet (20 directories × 500 endpoints), each with a local state that records its
// endpoints as applied, with every tenth one's rate limit since changed in its manifest, so a plan
// has a big text to print.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StateResource } from "../../src/core/types.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { resolveStateBackend } from "../../src/state/resolve-backend.js";
import { endpointYaml } from "../apply/helpers.js";
import { quietState } from "../state/helpers.js";
import { type FleetDirectory, writeFleet } from "./plan-all-fleet.js";

const documentsPerFile = 100;

/** Writes `endpoints` manifests into `dir`, 100 to a file, and their state. */
export async function writeSingleTree(dir: string, endpoints: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let first = 0; first < endpoints; first += documentsPerFile) {
    const documents = [];
    for (let i = first; i < Math.min(first + documentsPerFile, endpoints); i++) {
      documents.push(
        endpointYaml(`chat-${String(i).padStart(5, "0")}`, {
          project: i % 2 ? "default" : "search",
          description: `endpoint ${i}`,
          rateLimit: { rpm: 100, tpm: 10_000 },
          tags: { env: "prod", team: `team-${i % 17}`, "cost-center": `cc-${i % 5}` },
        }),
      );
    }
    await writeFile(join(dir, `endpoints-${String(first).padStart(5, "0")}.yaml`), documents.join("---\n"));
  }
  await writeAppliedState(dir);
}

/** Writes the plan-all fleet under `root` and each directory's state. */
export async function writeFleetTree(
  root: string,
  directories: number,
  endpointsPerDirectory: number,
): Promise<FleetDirectory[]> {
  const fleet = await writeFleet(root, { directories, endpointsPerDirectory, driftEvery: 5 });
  for (const { dir } of fleet) await writeAppliedState(dir);
  return fleet;
}

/** Records the directory's endpoints as applied, every tenth with the rate limit it had before. */
async function writeAppliedState(dir: string): Promise<void> {
  const manifests = await loadManifests(dir);
  if (manifests.diagnostics.length > 0) throw new Error(`the generated manifests in ${dir} have problems`);
  const backend = await resolveStateBackend(manifests.connection.state, dir, dir, quietState);
  const lock = await backend.lock({ operation: "bench seed" });
  try {
    const resources: Record<string, StateResource> = {};
    manifests.endpoints.forEach(({ address, attributes }, i) => {
      const applied = structuredClone(attributes);
      if (i % 10 === 1) applied.rate_limit = { rpm: 50, tpm: 10_000 };
      resources[address] = {
        endpoint_id: `ep-bench-${i}`,
        last_applied: applied,
        applied_at: "2026-11-01T00:00:00Z",
      };
    });
    await lock.write(resources);
  } finally {
    await lock.release();
  }
}
