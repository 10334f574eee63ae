// `ark-sync import ADDRESS ENDPOINT_ID [DIR]`: read the endpoint from Ark, record it in state with no
// last-applied, and show what the first plan will enforce. Refuses anything that could make the next
// apply destroy or duplicate an endpoint: a missing manifest, an address or id already managed.
import { asPlanSeesIt } from "../ark/refresh.js";
import { computePlan } from "../core/compute-plan.js";
import { ArkSyncError } from "../core/errors.js";
import type { Address } from "../core/types.js";
import { sanitizeText } from "../render/format-value.js";
import { renderPlanText } from "../render/text.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { withConnection } from "./directory-connection.js";
import { lockState, openState } from "./open-state.js";
import { loadValidManifests } from "./read-and-plan.js";

export interface ImportOptions {
  address: Address;
  endpointId: string;
  dir: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "parallelism" | "region"> & { region?: string };
  /** How long to wait for a state lock another run holds; default 0. */
  lockTimeoutMs?: number;
}

export async function run(flags: ImportOptions, ctx: AppContext): Promise<ExitCode> {
  const { address, endpointId, dir } = flags;
  const manifests = await loadValidManifests(dir, ctx);
  const options = withConnection(flags, manifests.connection);
  const desired = manifests.endpoints.find((endpoint) => endpoint.address === address);
  if (!desired) {
    throw new ArkSyncError("usage", "import_without_manifest", `no manifest in ${dir} declares ${address}`, {
      hint: `Write its manifest first (project_name and name must give ${address}); otherwise the next apply would destroy the imported endpoint.`,
    });
  }

  const client = await ctx.connectArk({ ...options.ark, parallelism: 1 });
  const live = await client.getEndpoint(endpointId);
  if (!live) {
    throw new ArkSyncError(
      "input",
      "import_not_found",
      `Ark has no endpoint ${endpointId} (region ${options.ark.region})`,
    );
  }

  const backend = await openState(options.state, dir, ctx);
  const lock = await lockState(backend, "import", options.lockTimeoutMs ?? 0, ctx);
  try {
    const resources = { ...(lock.current()?.resources ?? {}) };
    if (resources[address]) {
      throw new ArkSyncError(
        "usage",
        "import_address_managed",
        `${address} is already managed (as ${resources[address]?.endpoint_id})`,
        { hint: `To manage a different endpoint under this address, run: ark-sync state rm ${address}` },
      );
    }
    const owner = Object.entries(resources).find(([, resource]) => resource.endpoint_id === endpointId);
    if (owner) {
      throw new ArkSyncError(
        "usage",
        "import_endpoint_managed",
        `${endpointId} is already managed as ${owner[0]}; one endpoint can have only one address`,
      );
    }
    resources[address] = { endpoint_id: endpointId, last_applied: null, applied_at: null };
    const written = await lock.write(resources);
    ctx.io.err(`${sanitizeText(`Imported ${endpointId} as ${address} (${backend.describe()})`)}.\n\n`);

    // The plan of this one endpoint, against the live value just read as the next plan reads it, so the
    // two agree (an unmanaged moderation is not read by a plan, src/ark/refresh.ts).
    const seen = asPlanSeesIt(live, [desired], written);
    const plan = computePlan([desired], written, [seen], { targets: [address] });
    const firstPlan = { ...plan, warnings: plan.warnings.filter((warning) => warning.code !== "targeting") };
    ctx.io.out("The first plan for this endpoint will show:\n\n");
    ctx.io.out(renderPlanText(firstPlan, { color: ctx.io.colorOut, width: ctx.io.width }));
    return 0;
  } finally {
    await lock.release();
  }
}
