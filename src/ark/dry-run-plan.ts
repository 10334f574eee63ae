// Ark checks the plan before anyone applies it (docs/design.md §4): each planned create is sent with
// `DryRun: true`, so a misspelt or unavailable model or a quota problem fails the plan on the pull
// request, at the manifest that asks for it, and apply before its first write. A rolling model switch
// is checked the same way, as a DryRun create of the endpoint with its new model: DryRun is documented
// for CreateEndpoint only, never sent to CreateEndpointRolling (docs/ark-api.md#dryrun). Nothing is
// created or switched. Credentials that may not call the action at all get
// AccessDenied whatever the request: those checks are reported apart (docs/credentials.md).
//
// Should Ark ignore DryRun and act, the client deletes what it made; this run then sends no further
// DryRun, and fails, naming what Ark made. Checks go one at a time until Ark has answered one with
// DryRunOperation, so an Ark that ignores DryRun acts on one check at most (docs/ark-api.md, DryRun).
import { randomUUID } from "node:crypto";
import { hasAction } from "../core/compute-plan.js";
import type { DesiredEndpoint, Plan, PlanError, ResourceChange } from "../core/types.js";
import type { ArkAction } from "./actions.js";
import type { ArkClient, DryRunResult } from "./client.js";
import { type DryRunIgnoredError, isDryRunIgnored } from "./dry-run.js";
import { isArkApiError, isPermissionDenied } from "./errors.js";
import { createLimiter } from "./limit-concurrency.js";

export interface DryRunReport {
  creates: number;
  switches: number;
  /** What Ark would refuse, and any check Ark carried out instead (`ark_dry_run_ignored`). */
  errors: PlanError[];
  /** Checks these credentials may not make (AccessDenied): per action, the addresses left unchecked. */
  denied: Array<{ action: ArkAction; addresses: string[]; message: string }>;
  /** The endpoints Ark made when it ignored DryRun, and whether they were deleted. */
  ignored: Array<{ address: string; endpointId: string | undefined; removed: boolean }>;
  /** Addresses never sent, because Ark had already carried out a DryRun in this run. */
  unchecked: string[];
}

/** The owner a dry-run create is tagged with before the state has a lineage: any value Ark accepts. */
const placeholderLineage = "00000000-0000-4000-8000-000000000000";

/** At most this many checks in flight once Ark has shown it honours DryRun, unless told otherwise. */
const defaultParallelism = 10;

interface Check {
  rc: ResourceChange;
  verb: string;
}

type Outcome =
  | { check: Check; result: DryRunResult }
  | { check: Check; ignored: DryRunIgnoredError }
  | { check: Check; skipped: true };

/**
 * With `parallelism`, at most that many checks are handed to the client at once, so a client that
 * paces each call as it is made (apply's) paces them all, instead of admitting every one at once.
 * `runId` values the DryRun marker of every check (default: a fresh UUID).
 */
export async function dryRunPlan(
  client: Pick<ArkClient, "dryRunCreateEndpoint">,
  plan: Plan,
  desired: readonly DesiredEndpoint[],
  options: { parallelism?: number; runId?: string } = {},
): Promise<DryRunReport> {
  // Every check of this run carries it, so that what an Ark ignoring DryRun made is known by it.
  const runId = options.runId ?? randomUUID();
  const limit = createLimiter(options.parallelism ?? defaultParallelism);
  const sources = new Map(desired.map((endpoint) => [endpoint.address, endpoint.source]));
  const lineage = plan.state?.lineage ?? placeholderLineage;
  const creates = plan.resource_changes.filter(
    (rc) => hasAction(rc.change.actions, "create") && rc.change.after,
  );
  const switches = plan.resource_changes.filter(isRollingSwitch);
  let stopped = false;
  const run = async (check: Check): Promise<Outcome> => {
    // Ark carried out an earlier DryRun: send no further one.
    if (stopped) return { check, skipped: true };
    try {
      const after = check.rc.change.after as NonNullable<ResourceChange["change"]["after"]>;
      const owner = { address: check.rc.address, state: lineage };
      return { check, result: await client.dryRunCreateEndpoint(after, owner, runId) };
    } catch (error) {
      if (!isDryRunIgnored(error)) throw error;
      stopped = true;
      return { check, ignored: error };
    }
  };
  const pending: Check[] = [
    ...creates.map((rc) => ({ rc, verb: "create" })),
    ...switches.map((rc) => ({ rc, verb: "switch the model of" })),
  ];
  // One at a time until Ark answers one with DryRunOperation; then the rest, at most `limit` at once.
  const outcomes: Outcome[] = [];
  let honoured = false;
  while (!honoured && pending.length > 0) {
    const outcome = await run(pending.shift() as Check);
    outcomes.push(outcome);
    honoured = "result" in outcome && outcome.result.ok;
  }
  outcomes.push(...(await Promise.all(pending.map((check) => limit(() => run(check))))));

  const errors: PlanError[] = [];
  const denied = new Map<ArkAction, { addresses: string[]; message: string }>();
  const ignored: DryRunReport["ignored"] = [];
  const unchecked: string[] = [];
  for (const outcome of outcomes) {
    const { rc, verb } = outcome.check;
    const source = sources.get(rc.address);
    const where = source ? `${source.file}:${source.line}:${source.col}: ` : "";
    if ("skipped" in outcome) {
      unchecked.push(rc.address);
      continue;
    }
    if ("ignored" in outcome) {
      const { endpointId, removed } = outcome.ignored.undo;
      ignored.push({ address: rc.address, endpointId, removed });
      errors.push({
        code: "ark_dry_run_ignored",
        address: rc.address,
        message: `${where}Asked only to check whether it would ${verb} ${rc.address}, ${outcome.ignored.message}`,
      });
      continue;
    }
    const { result } = outcome;
    if (result.ok) continue;
    if (isPermissionDenied(result.error)) {
      const entry = denied.get("CreateEndpoint") ?? { addresses: [], message: result.error.message };
      entry.addresses.push(rc.address);
      denied.set("CreateEndpoint", entry);
      continue;
    }
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
  if (unchecked.length > 0) {
    errors.push({
      code: "ark_dry_run_ignored",
      message: `No further DryRun was sent in this run, since Ark carried one out: ${unchecked.join(", ")} went unchecked.`,
    });
  }
  return {
    creates: creates.length,
    switches: switches.length,
    errors,
    denied: [...denied].map(([action, entry]) => ({ action, ...entry })),
    ignored,
    unchecked,
  };
}

/** One line: what was checked, how many Ark refused, how many these credentials could not check, and
 * what Ark made when it ignored DryRun. */
export function summarizeDryRun(report: DryRunReport): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const checked = `${count(report.creates, "planned create", "planned creates")} and ${count(report.switches, "model switch", "model switches")}`;
  const refusals = report.errors.filter((error) => error.code === "ark_dry_run_refused").length;
  const refused = refusals === 0 ? "none refused" : `${refusals} refused`;
  const unchecked = report.denied.flatMap((entry) => entry.addresses).length;
  const actions = report.denied.map((entry) => entry.action).join(" or ");
  const denied = unchecked === 0 ? "" : `; ${unchecked} unchecked: these credentials may not call ${actions}`;
  const made = report.ignored.map(({ endpointId, removed }) => {
    const id = endpointId ?? "an endpoint without an Id";
    return removed ? `${id}, deleted` : `${id}, NOT deleted`;
  });
  const ignored =
    made.length === 0
      ? ""
      : `; Ark ignored DryRun and created ${made.join("; ")}, so ${count(report.unchecked.length, "check was", "checks were")} not sent`;
  return `Checked ${checked} with Ark (DryRun): ${refused}${denied}${ignored}.`;
}

function isRollingSwitch(rc: ResourceChange): boolean {
  return (
    rc.change.actions[0] === "update" &&
    rc.model_switch?.method === "rolling" &&
    rc.endpoint_id !== null &&
    rc.change.after !== null
  );
}
