// `ark-sync import ADDRESS ENDPOINT_ID [DIR]`: read the endpoint from Ark, record it in state with no
// last-applied, and show what the first plan will enforce. Refuses anything that could make the next
// apply destroy or duplicate an endpoint: a missing manifest, an address or id already managed.
import { computePlan } from "../core/compute-plan.js";
import { ArkSyncError } from "../core/errors.js";
import { renderPlanText } from "../render/text.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import { arkConnectionOptions } from "./ark-connection.js";
import type { ImportArgs } from "./commands/import.js";
import { processIo } from "./io.js";
import { loadValidManifests } from "./load-valid-manifests.js";

export async function runImport(args: ImportArgs): Promise<number> {
  const io = processIo(args);
  const manifests = await loadValidManifests(args.dir, io);
  const desired = manifests.endpoints.find((endpoint) => endpoint.address === args.address);
  if (!desired) {
    throw new ArkSyncError(
      "usage",
      "import_without_manifest",
      `no manifest in ${args.dir} declares ${args.address}`,
      {
        hint: `Write its manifest first (project_name and name must give ${args.address}); otherwise the next apply would destroy the imported endpoint.`,
      },
    );
  }

  const { connectArk } = await import("../pipeline/connect-ark.js");
  const client = connectArk(arkConnectionOptions(args, io, 1));
  const live = await client.getEndpoint(args["endpoint-id"]);
  if (!live) {
    throw new ArkSyncError(
      "input",
      "import_not_found",
      `Ark has no endpoint ${args["endpoint-id"]} (region ${args.region})`,
    );
  }

  const backend = await resolveStateBackend(args.state, args.dir, process.cwd());
  const lock = await backend.lock({ operation: "import" });
  try {
    const state = lock.current();
    const resources = { ...(state?.resources ?? {}) };
    if (resources[args.address]) {
      throw new ArkSyncError(
        "usage",
        "import_address_managed",
        `${args.address} is already managed (as ${resources[args.address]?.endpoint_id})`,
        { hint: `To manage a different endpoint under this address, run: ark-sync state rm ${args.address}` },
      );
    }
    const owner = Object.entries(resources).find(
      ([, resource]) => resource.endpoint_id === args["endpoint-id"],
    );
    if (owner) {
      throw new ArkSyncError(
        "usage",
        "import_endpoint_managed",
        `${args["endpoint-id"]} is already managed as ${owner[0]}; one endpoint can have only one address`,
      );
    }
    resources[args.address] = { endpoint_id: args["endpoint-id"], last_applied: null, applied_at: null };
    const written = await lock.write(resources);
    io.err(`Imported ${args["endpoint-id"]} as ${args.address} (${backend.describe()}).\n\n`);

    const plan = computePlan([desired], written, [live], { targets: [args.address] });
    const firstPlan = { ...plan, warnings: plan.warnings.filter((warning) => warning.code !== "targeting") };
    io.out("The first plan for this endpoint will show:\n\n");
    io.out(renderPlanText(firstPlan, { color: io.colorOut, width: io.width }));
    return 0;
  } finally {
    await lock.release();
  }
}
