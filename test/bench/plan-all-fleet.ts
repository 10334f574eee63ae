// The fleet plan-all-bench plans: project directories, each with an ark-sync.yaml naming its own Ark
// project (`defaults: project_name`) and its own local state, and its endpoints live in the emulator
// and recorded in that state, as if applied. Seeded straight into the emulator and the state backend:
// 10,000 creates through apply would take longer than the benchmark itself.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { toCreateEndpointRequest } from "../../src/ark/mapping.js";
import type { StateResource } from "../../src/core/types.js";
import { type Emulator, type EndpointSeed, systemTag } from "../../src/emulator/start-emulator.js";
import { loadManifests } from "../../src/manifest/load-manifests.js";
import { resolveStateBackend } from "../../src/state/resolve-backend.js";
import { endpointYaml } from "../apply/helpers.js";
import { quietState } from "../state/helpers.js";

/** Manifest documents per file (`---` separated, docs/manifests.md). */
const documentsPerFile = 50;

export interface FleetShape {
  directories: number;
  endpointsPerDirectory: number;
  /** Every how many directories one endpoint is edited in the console, so its plan has 1 update. */
  driftEvery: number;
}

export interface FleetDirectory {
  dir: string;
  project: string;
  /** What its plan must say: `No changes.` or 1 update after the drift. */
  drifted: boolean;
}

export function projectName(index: number): string {
  return `team-${String(index).padStart(2, "0")}`;
}

/** Writes the directories under `root`: ark-sync.yaml and the manifests. */
export async function writeFleet(root: string, shape: FleetShape): Promise<FleetDirectory[]> {
  const fleet: FleetDirectory[] = [];
  for (let d = 0; d < shape.directories; d++) {
    const project = projectName(d);
    const dir = join(root, project);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "ark-sync.yaml"),
      `apiVersion: ark-sync/v1\nkind: Config\ndefaults:\n  project_name: ${project}\nstate: local:.ark-sync/state.json\n`,
    );
    for (let first = 0; first < shape.endpointsPerDirectory; first += documentsPerFile) {
      const last = Math.min(first + documentsPerFile, shape.endpointsPerDirectory);
      const documents = [];
      for (let i = first; i < last; i++) {
        documents.push(
          endpointYaml(`chat-${String(i).padStart(4, "0")}`, {
            description: `endpoint ${i}`,
            rateLimit: { rpm: 100, tpm: 10_000 },
            tags: { env: "prod", team: project },
          }),
        );
      }
      await writeFile(join(dir, `endpoints-${String(first).padStart(4, "0")}.yaml`), documents.join("---\n"));
    }
    fleet.push({ dir, project, drifted: d % shape.driftEvery === 0 });
  }
  return fleet;
}

/**
 * Puts each directory's resolved endpoints into the emulator exactly as apply creates them (the same
 * CreateEndpoint fields and ownership tags), records them in the directory's state, and edits one
 * endpoint's description in the console where the directory is `drifted`.
 */
export async function seedFleet(emulator: Emulator, fleet: readonly FleetDirectory[]): Promise<void> {
  for (const { dir, drifted } of fleet) {
    const manifests = await loadManifests(dir);
    const backend = await resolveStateBackend(manifests.connection.state, dir, dir, quietState);
    const lock = await backend.lock({ operation: "bench seed" });
    try {
      // The first write fixes the lineage, which the ownership tag carries.
      const { lineage } = await lock.write({});
      const appliedAt = new Date().toISOString();
      const seeded = await Promise.all(
        manifests.endpoints.map(async ({ address, attributes }) => {
          const request = toCreateEndpointRequest(attributes, address, lineage) as EndpointSeed;
          const live = await emulator.seedEndpoint({
            ...request,
            Tags: [...(request.Tags ?? []), systemTag],
          });
          const resource: StateResource = {
            endpoint_id: live.Id,
            last_applied: attributes,
            applied_at: appliedAt,
          };
          return [address, resource] as const;
        }),
      );
      await lock.write(Object.fromEntries(seeded));
      const [, first] = seeded[0] ?? [];
      if (drifted && first) {
        await emulator.changeEndpoint(first.endpoint_id, { Description: "edited in the console" });
      }
    } finally {
      await lock.release();
    }
  }
}
