// Ark checks the plan before anyone applies it (docs/design.md §4): each planned create is sent with
// `DryRun: true`, so a misspelt or unavailable model or a quota problem fails the plan on the pull
// request, at the manifest that asks for it, and apply before its first write. A rolling model switch
// is checked the same way, as a DryRun create of the endpoint with its new model: DryRun is documented
// for CreateEndpoint only, never sent to CreateEndpointRolling (docs/ark-api.md#dryrun). Nothing is
// created or switched. Credentials that may not call the action at all get
// AccessDenied whatever the request: those checks are reported apart (docs/credentials.md).
import { randomUUID } from "node:crypto";
import { hasAction } from "../core/compute-plan.js";
import type { DesiredEndpoint, Plan, PlanError, ResourceChange } from "../core/types.js";
import type { ArkAction } from "./actions.js";
import type { ArkClient } from "./client.js";
import { isArkApiError, isPermissionDenied } from "./errors.js";
import { createLimiter } from "./limit-concurrency.js";

export interface DryRunReport {
  creates: number;
  switches: number;
  /** What Ark would refuse. */
  errors: PlanError[];
  /** Checks these credentials may not make (AccessDenied): per action, the addresses left unchecked. */
  denied: Array<{ action: ArkAction; addresses: string[]; message: string }>;
}

/** The owner a dry-run create is tagged with before the state has a lineage: any value Ark accepts. */
const placeholderLineage = "00000000-0000-4000-8000-000000000000";

/**
 * With `parallelism`, at most that many checks are handed to the client at once, so a client that
 * paces each call as it is made (apply's) paces them all, instead of admitting every one at once.
 */
export async function dryRunPlan(
  client: Pick<ArkClient, "dryRunCreateEndpoint">,
  plan: Plan,
  desired: readonly DesiredEndpoint[],
  options: { parallelism?: number; runId?: string } = {},
): Promise<DryRunReport> {
  // Every check of this run carries it, so that what an Ark ignoring DryRun made is known by it.
  const runId = options.runId ?? randomUUID();
  const limit =
    options.parallelism === undefined
      ? <T>(task: () => Promise<T>) => task()
      : createLimiter(options.parallelism);
  const sources = new Map(desired.map((endpoint) => [endpoint.address, endpoint.source]));
  const lineage = plan.state?.lineage ?? placeholderLineage;
  const creates = plan.resource_changes.filter(
    (rc) => hasAction(rc.change.actions, "create") && rc.change.after,
  );
  const switches = plan.resource_changes.filter(isRollingSwitch);
  const check = (rc: ResourceChange, verb: string) => async () => ({
    rc,
    action: "CreateEndpoint" as const,
    verb,
    result: await limit(() =>
      client.dryRunCreateEndpoint(
        rc.change.after as NonNullable<typeof rc.change.after>,
        { address: rc.address, state: lineage },
        runId,
      ),
    ),
  });
  const checks = [
    ...creates.map((rc) => check(rc, "create")()),
    ...switches.map((rc) => check(rc, "switch the model of")()),
  ];
  const errors: PlanError[] = [];
  const denied = new Map<ArkAction, { addresses: string[]; message: string }>();
  for (const { rc, action, verb, result } of await Promise.all(checks)) {
    if (result.ok) continue;
    if (isPermissionDenied(result.error)) {
      const entry = denied.get(action) ?? { addresses: [], message: result.error.message };
      entry.addresses.push(rc.address);
      denied.set(action, entry);
      continue;
    }
    const source = sources.get(rc.address);
    const where = source ? `${source.file}:${source.line}:${source.col}: ` : "";
    // The account's refusals (a model not activated, an overdue bill) are not the manifest's fault:
    // say what to do in the console.
    const { error } = result;
    const hint = isArkApiError(error) && error.category === "account" && error.hint ? ` ${error.hint}` : "";
    errors.push({
      code: "ark_dry_run_refused",
      address: rc.address,
      message: `${where}Ark would refuse to ${verb} ${rc.address}: ${error.message}${hint}`,
    });
  }
  return {
    creates: creates.length,
    switches: switches.length,
    errors,
    denied: [...denied].map(([action, entry]) => ({ action, ...entry })),
  };
}

/** One line: what was checked, how many Ark refused, how many these credentials could not check. */
export function summarizeDryRun(report: DryRunReport): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const checked = `${count(report.creates, "planned create", "planned creates")} and ${count(report.switches, "model switch", "model switches")}`;
  const refused = report.errors.length === 0 ? "none refused" : `${report.errors.length} refused`;
  const unchecked = report.denied.flatMap((entry) => entry.addresses).length;
  const actions = report.denied.map((entry) => entry.action).join(" or ");
  const denied = unchecked === 0 ? "" : `; ${unchecked} unchecked: these credentials may not call ${actions}`;
  return `Checked ${checked} with Ark (DryRun): ${refused}${denied}.`;
}

function isRollingSwitch(rc: ResourceChange): boolean {
  return (
    rc.change.actions[0] === "update" &&
    rc.model_switch?.method === "rolling" &&
    rc.endpoint_id !== null &&
    rc.change.after !== null
  );
}
