// Ark checks the plan before anyone applies it (docs/design.md §4): each planned create, and each
// rolling model switch, is sent with `DryRun: true`, so a misspelt or unavailable model, a missing
// permission or a quota problem fails the plan on the pull request, at the manifest that asks for it,
// instead of the apply after merge. Nothing is created or switched.
import { hasAction } from "../core/compute-plan.js";
import type { DesiredEndpoint, ModelReference, Plan, PlanError, ResourceChange } from "../core/types.js";
import type { ArkClient } from "./client.js";

export interface DryRunReport {
  creates: number;
  switches: number;
  errors: PlanError[];
}

/** The owner a dry-run create is tagged with before the state has a lineage: any value Ark accepts. */
const placeholderLineage = "00000000-0000-4000-8000-000000000000";

export async function dryRunPlan(
  client: Pick<ArkClient, "dryRunCreateEndpoint" | "dryRunModelSwitch">,
  plan: Plan,
  desired: readonly DesiredEndpoint[],
): Promise<DryRunReport> {
  const sources = new Map(desired.map((endpoint) => [endpoint.address, endpoint.source]));
  const lineage = plan.state?.lineage ?? placeholderLineage;
  const creates = plan.resource_changes.filter(
    (rc) => hasAction(rc.change.actions, "create") && rc.change.after,
  );
  const switches = plan.resource_changes.filter(isRollingSwitch);
  const checks = [
    ...creates.map(async (rc) => ({
      rc,
      verb: "create",
      result: await client.dryRunCreateEndpoint(rc.change.after as NonNullable<typeof rc.change.after>, {
        address: rc.address,
        state: lineage,
      }),
    })),
    ...switches.map(async (rc) => ({
      rc,
      verb: "switch the model of",
      result: await client.dryRunModelSwitch(rc.endpoint_id as string, foundationModel(rc)),
    })),
  ];
  const errors: PlanError[] = [];
  for (const { rc, verb, result } of await Promise.all(checks)) {
    if (result.ok) continue;
    const source = sources.get(rc.address);
    const where = source ? `${source.file}:${source.line}:${source.col}: ` : "";
    errors.push({
      code: "ark_dry_run_refused",
      address: rc.address,
      message: `${where}Ark would refuse to ${verb} ${rc.address}: ${result.error.message}`,
    });
  }
  return { creates: creates.length, switches: switches.length, errors };
}

function isRollingSwitch(rc: ResourceChange): boolean {
  return (
    rc.change.actions[0] === "update" && rc.model_switch?.method === "rolling" && rc.endpoint_id !== null
  );
}

function foundationModel(rc: ResourceChange): { name: string; model_version: string } {
  const model = rc.change.after?.model_reference as Extract<ModelReference, { foundation_model: unknown }>;
  return model.foundation_model;
}
