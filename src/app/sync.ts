// `ark-sync sync DIR` (docs/sync.md): one reconcile of one directory by its sync policy. It plans the
// directory as `plan` does, decides by the policy, held back by the operator's ceilings (--no-prune,
// --no-replace, --max-destroy), which changes to make (sync-decision.ts), and makes
// them through apply itself, with the plan's hash as the gate: apply re-plans under the state lock and
// refuses unless that plan is the one decided on, so sync has no write path of its own.
import { readGitCommit } from "../apply/git-commit.js";
import type { SwitchUndo } from "../apply/model-switch.js";
import type { ArkClient } from "../ark/client.js";
import { computePlan } from "../core/compute-plan.js";
import type { DestroyLimit } from "../core/destroy-limit.js";
import { isArkSyncError } from "../core/errors.js";
import type { NotifyTarget } from "../core/notify-target.js";
import { canonicalJson } from "../core/plan-hash.js";
import { computeStatusRows, needsAttention, type StatusRow } from "../core/status-rows.js";
import {
  auditLine,
  decideSync,
  driftLines,
  noCeilings,
  reportOnly,
  type SyncCeilings,
  type SyncChange,
  type SyncDecision,
  type SyncLeft,
  type SyncPolicy,
} from "../core/sync-decision.js";
import { exitCodeOf, resultOfRows, type SyncReport, type SyncTrigger } from "../core/sync-report.js";
import type { LiveEndpoint, Plan, StateDocument } from "../core/types.js";
import { loadConfig } from "../manifest/load-config.js";
import type { ManifestSet } from "../manifest/load-manifests.js";
import { sendNotifications } from "../notify/send-notifications.js";
import { sanitizeLines } from "../render/format-value.js";
import { renderSyncJson, renderSyncText } from "../render/sync.js";
import type { StateBackend } from "../state/backend.js";
import * as apply from "./apply.js";
import type { AppContext, ArkSettings, ExitCode } from "./context.js";
import { describeError } from "./describe-error.js";
import { type Connected, withConnection } from "./directory-connection.js";
import { lockState, openState } from "./open-state.js";
import { destroyLimit, loadValidManifests, readAndPlan } from "./read-and-plan.js";

export type {
  SyncCeilings,
  SyncChange,
  SyncLeft,
  SyncLeftReason,
  SyncPolicy,
  SyncWhy,
} from "../core/sync-decision.js";
export type { SyncReport, SyncResult, SyncTrigger } from "../core/sync-report.js";

export interface SyncOptions {
  dir: string;
  state?: string;
  /** The region is absent when no flag or variable gives it (directory-connection.ts). */
  ark: Omit<ArkSettings, "sleep" | "region"> & { region?: string };
  /** How long to wait for each endpoint to be Running, and for a model switch that makes no progress. */
  waitTimeoutSeconds: number;
  /** How a model switch that fails, stalls or is interrupted is undone. */
  switchUndo: SwitchUndo;
  /** How long to wait for a state lock another run holds; default 0, refuse at once. */
  lockTimeoutMs?: number;
  /** The commit and run that triggered this reconcile, for links in notifications and audit. */
  trigger?: SyncTrigger;
  /** What the operator forbids whatever ark-sync.yaml says (--no-prune, --no-replace, --max-destroy). */
  ceilings?: SyncCeilings;
}

export interface SyncCommandOptions extends SyncOptions {
  /** Print the SyncReport as JSON instead of one line per change. */
  json: boolean;
}

export async function run(options: SyncCommandOptions, ctx: AppContext): Promise<ExitCode> {
  const report = await reconcileDirectory(options, ctx);
  ctx.io.out(options.json ? renderSyncJson(report) : renderSyncText(report));
  return exitCodeOf(report.result);
}

/**
 * One reconcile of one directory by its sync policy (docs/sync.md). Never throws for Ark, state or
 * manifest problems: they come back as result "failed" with the error (diagnostics are on stderr).
 * Notifications are sent inside, once per change of state, and the changes made are recorded in the
 * state's history.
 */
export async function reconcileDirectory(options: SyncOptions, ctx: AppContext): Promise<SyncReport> {
  const commit = options.trigger?.commit ?? (await readGitCommit(options.dir, ctx.env));
  const trigger = { ...options.trigger, ...(commit === undefined ? {} : { commit }) };
  const base = { directory: options.dir, ...(Object.keys(trigger).length === 0 ? {} : { trigger }) };
  // ark-sync.yaml alone: its webhooks and state are known even when an endpoint manifest is invalid.
  const { config } = await loadConfig(options.dir);
  const connected = withConnection(options, config?.connection ?? {});
  let backend: StateBackend | null = null;
  let outcome: Outcome;
  try {
    backend = await openState(connected.state, connected.dir, ctx);
    outcome = await reconcile(connected, config?.rules.sync ?? reportOnly, backend, ctx);
  } catch (error) {
    if (!isArkSyncError(error)) throw error;
    ctx.io.err(describeError(error, ctx.io.debug !== undefined));
    outcome = {
      result: "failed",
      changes: [],
      left: [],
      rows: [],
      driftDetected: 0,
      drift: [],
      error: { code: error.code, message: error.message },
    };
  }
  const report: SyncReport = { ...base, ...outcome };
  await recordReconcile(report, config?.rules.notify ?? [], backend, connected, ctx);
  return report;
}

type Outcome = Omit<SyncReport, "directory" | "trigger">;

async function reconcile(
  options: Connected<SyncOptions>,
  policy: SyncPolicy,
  backend: StateBackend,
  ctx: AppContext,
): Promise<Outcome> {
  const manifests = await loadValidManifests(options.dir, ctx);
  const client = await ctx.connectArk(options.ark);
  const ceilings = options.ceilings ?? noCeilings;
  const planOf = (state: StateDocument | null) => planDirectory(manifests, state, client, options, ctx);

  const state = await backend.read();
  const first = await planOf(state);
  const decision = decideSync(first.plan, policy, ceilings);
  const found = { driftDetected: first.plan.resource_drift.length, drift: driftLines(first.plan) };
  if (decision.apply.length === 0) return { ...settle(first, decision, []), ...found };

  const targets = decision.apply.map((change) => change.address);
  // The plan apply will make under the lock, if nothing changes meanwhile: its hash is apply's gate.
  const targeted = computePlan(manifests.endpoints, state, first.live, {
    ...planOptions(manifests, ceilings),
    targets,
  });
  const audit = { operation: "sync", lines: decision.apply.map(auditLine) };
  const failure = await applyDecided(options, targets, targeted.plan_hash, audit, ctx);
  const after = await planOf(await backend.read());
  const settled = { ...settle(after, decision, madeChanges(decision.apply, after.plan)), ...found };
  if (failure === undefined) return settled;
  // Apply prints the plan's errors above its one-line refusal; the report, and the webhook that
  // carries it, get them too (a destroy limit, an empty directory), from the plan made since.
  const errors = failure.code === "plan_has_errors" ? after.plan.errors.map((error) => error.message) : [];
  const error =
    errors.length === 0 ? failure : { ...failure, message: [failure.message, ...errors].join(" ") };
  return { ...settled, result: "failed", error };
}

/**
 * Makes the decided changes with apply, limited to their addresses and gated on the plan's hash: apply
 * plans again under the state lock and refuses unless it is this plan. Its output goes to stderr.
 */
async function applyDecided(
  options: Connected<SyncOptions>,
  targets: string[],
  planHash: string,
  audit: { operation: string; lines: string[] },
  ctx: AppContext,
): Promise<SyncReport["error"]> {
  try {
    const code = await apply.run(
      {
        path: options.dir,
        ...(options.state === undefined ? {} : { state: options.state }),
        ark: options.ark,
        autoApprove: true,
        allowEmpty: false,
        targets,
        waitTimeoutSeconds: options.waitTimeoutSeconds,
        switchUndo: options.switchUndo,
        lockTimeoutMs: options.lockTimeoutMs ?? 0,
        ...(options.ceilings?.maxDestroy === undefined
          ? {}
          : { destroyCeiling: options.ceilings.maxDestroy }),
        planHash,
        audit,
      },
      { ...ctx, io: { ...ctx.io, out: ctx.io.err } },
    );
    if (code === 0) return undefined;
    return {
      code: "sync_apply_incomplete",
      message: "apply did not complete (above); what it did is recorded",
    };
  } catch (error) {
    if (!isArkSyncError(error)) throw error;
    ctx.io.err(describeError(error, ctx.io.debug !== undefined));
    return { code: error.code, message: error.message };
  }
}

/**
 * Sends the notifications the report calls for, then records in the state (under a short lock) what
 * was notified and the changes made, with why. Never fails the sync: problems are warnings.
 */
async function recordReconcile(
  report: SyncReport,
  targets: NotifyTarget[],
  backend: StateBackend | null,
  options: Connected<SyncOptions>,
  ctx: AppContext,
): Promise<void> {
  const warn = (line: string) => ctx.io.err(`${sanitizeLines(line)}\n`);
  const previous = await backend?.read().catch(() => null);
  const notified = previous?.sync?.notified ?? {};
  const outcome = await sendNotifications(report, targets, notified, {
    env: ctx.env,
    fetch: ctx.fetch,
    sleep: ctx.sleep,
    log: warn,
  });
  const at = ctx.clock.date().toISOString();
  const commit = report.trigger?.commit;
  const entries = report.changes.map((change) => ({
    at,
    line: auditLine(change),
    ...(commit === undefined ? {} : { commit }),
  }));
  const unchanged = canonicalJson(outcome.notified) === canonicalJson(notified);
  if (backend === null || (entries.length === 0 && unchanged)) return;
  try {
    const note = [`sync: ${report.result}; recorded ${entries.length} changes and what was notified`];
    const lock = await lockState(backend, "sync", options.lockTimeoutMs ?? 0, ctx, note);
    try {
      const current = lock.current();
      const history = [...(current?.sync?.history ?? []), ...entries].slice(-historyLength);
      await lock.write(current?.resources ?? {}, { notified: outcome.notified, history });
    } finally {
      await lock.release();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    warn(
      `Warning: could not record this reconcile in the state (${message}); the next one may notify again.`,
    );
  }
}

/** How many of sync's changes the state keeps in its history. */
const historyLength = 100;

interface Planned {
  plan: Plan;
  live: LiveEndpoint[];
  rows: StatusRow[];
}

/** Every plan of a reconcile is apply's: no --allow-empty, the lower of ark-sync.yaml's max_destroy and
 * --max-destroy. */
function planOptions(
  manifests: ManifestSet,
  ceilings: SyncCeilings,
): { allowEmpty: false; targets: string[]; maxDestroy?: DestroyLimit } {
  return {
    allowEmpty: false,
    targets: [],
    ...destroyLimit(manifests.maxDestroy, false, ceilings.maxDestroy),
  };
}

async function planDirectory(
  manifests: ManifestSet,
  state: StateDocument | null,
  client: ArkClient,
  options: Connected<SyncOptions>,
  ctx: AppContext,
): Promise<Planned> {
  const request = { desired: manifests.endpoints, state, ark: { client, region: options.ark.region } };
  const { plan, live } = await readAndPlan(
    { ...request, ...planOptions(manifests, options.ceilings ?? noCeilings) },
    ctx,
  );
  const read = live ?? [];
  return { plan, live: read, rows: computeStatusRows({ plan, live: read, dir: options.dir }) };
}

/** The report's result, changes and what was left, from the rows after the reconcile. Every row still
 * out of sync is explained: by the decision, or after the fact. */
function settle(
  planned: Planned,
  decision: SyncDecision,
  done: SyncChange[],
): Omit<Outcome, "driftDetected" | "drift"> {
  const explained = new Set(decision.left.map((left) => left.address));
  const unexplained = planned.rows
    .filter((row) => needsAttention([row]))
    .map(leftAfterReconcile)
    .filter((left) => !explained.has(left.address));
  const left = [...decision.left, ...unexplained];
  return { result: resultOfRows(planned.rows), changes: done, left, rows: planned.rows };
}

/** Why a row is still out of sync when the decision left nothing for it. */
function leftAfterReconcile(row: StatusRow): SyncLeft {
  if (row.sync === "Untracked") {
    const address = row.address ?? `endpoint ${row.endpoint_id}`;
    return {
      address,
      reason: "untracked",
      message: `${address}: ${row.endpoint_id} carries ark-sync's ownership tag but no state records it; sync never adopts or deletes it: import it or delete it`,
    };
  }
  const address = row.address ?? `endpoint ${row.endpoint_id}`;
  return {
    address,
    reason: "still_out_of_sync",
    message: `${address}: still ${row.sync} after this reconcile (it changed while sync ran, or a step failed); the next reconcile looks again`,
  };
}

/** The decided changes the plan after the apply no longer has to make. */
function madeChanges(decided: SyncChange[], after: Plan): SyncChange[] {
  const drifted = new Set(after.resource_drift.map((drift) => drift.address));
  const pending = new Set(
    after.resource_changes
      .filter((change) => change.change.actions[0] !== "no-op" || drifted.has(change.address))
      .map((change) => change.address),
  );
  return decided.filter((change) => !pending.has(change.address));
}
