// `ark-sync plan`: read the manifests, the last-applied state and (unless --refresh=false) live Ark,
// compute the plan, print it, optionally save it.
import { writeFile } from "node:fs/promises";
import { computePlan, hasAction } from "../core/compute-plan.js";
import type { LiveEndpoint, Plan } from "../core/types.js";
import { renderPlanJson } from "../render/plan-json.js";
import { renderPlanText } from "../render/text.js";
import { resolveStateBackend } from "../state/resolve-backend.js";
import { arkConnectionOptions } from "./ark-connection.js";
import type { PlanArgs } from "./commands/plan.js";
import { type Io, processIo } from "./io.js";
import { loadValidManifests } from "./load-valid-manifests.js";

export async function runPlan(args: PlanArgs): Promise<number> {
  const io = processIo(args);
  const manifests = await loadValidManifests(args.dir, io);
  const backend = await resolveStateBackend(args.state, args.dir, process.cwd());
  const state = await backend.read();
  const live = args.refresh ? await readLive(args, io, manifests.endpoints, state) : null;
  const plan = computePlan(manifests.endpoints, state, live, {
    allowEmpty: args["allow-empty"],
    targets: args.target,
  });

  io.out(args.json ? renderPlanJson(plan) : renderPlanText(plan, { color: io.colorOut, width: io.width }));
  if (args.out) {
    await writeFile(args.out, renderPlanJson(plan));
    io.err(`\nSaved the plan to ${args.out}. To apply exactly this plan: ark-sync apply ${args.out}\n`);
  }
  if (plan.errors.length > 0) return 1;
  return args["detailed-exitcode"] && hasChanges(plan) ? 2 : 0;
}

async function readLive(
  args: PlanArgs,
  io: Io,
  desired: Parameters<typeof computePlan>[0],
  state: Parameters<typeof computePlan>[1],
): Promise<LiveEndpoint[]> {
  // Loaded only here, so --refresh=false never loads the Ark SDK.
  const { connectArk } = await import("../pipeline/connect-ark.js");
  const { readLiveForPlan } = await import("../pipeline/read-live.js");
  const client = connectArk(arkConnectionOptions(args, io, args.parallelism));
  io.err(`Reading live endpoints from Ark (${args.region})...\n`);
  const live = await readLiveForPlan(client, desired, state);
  const { calls } = client.stats();
  io.err(
    `Read ${live.length} live endpoints (${calls.ListEndpoints} list, ${calls.GetEndpoint} get calls).\n\n`,
  );
  return live;
}

/** Any action on Ark, or a move to record in the state (Terraform counts moves as changes too). */
function hasChanges(plan: Plan): boolean {
  return plan.resource_changes.some(
    (rc) => !hasAction(rc.change.actions, "no-op") || rc.previous_address !== undefined,
  );
}
