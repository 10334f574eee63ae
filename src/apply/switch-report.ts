// What apply says and records after a model switch (docs/apply.md, "Model switches"): the model the
// state records is the one GetEndpoint shows once the endpoint holds no switch, else the one it had
// before; the words say where the switch ended, or where it stood when ark-sync stopped looking (which
// model, what share of traffic), never more than was read.
import type { ModelSwitchInfo, SwitchTarget } from "../ark/client.js";
import { ArkSyncError } from "../core/errors.js";
import type { ModelReference } from "../core/types.js";
import { formatDuration } from "./format-duration.js";
import type { SwitchResult, SwitchSeen, UndoStep } from "./model-switch.js";

export interface SwitchReport {
  /** The model to record in state. */
  model: ModelReference | undefined;
  /** What happened on Ark, in order. */
  done: string[];
  notes: string[];
  /** Null when the endpoint serves the target. */
  error: ArkSyncError | null;
  /** How the progress line ends when the switch did not complete. */
  stop: string;
  /** Whether the endpoint is known to serve something other than before, in whole or in part. */
  changed: boolean;
}

export interface ReportContext {
  endpointId: string;
  target: SwitchTarget;
  /** The model the endpoint served before the switch. */
  from: ModelReference | undefined;
  /** How long a switch, or its undo, may stand still (--wait-timeout). */
  stallTimeoutMs: number;
}

export function reportSwitch(result: SwitchResult, context: ReportContext): SwitchReport {
  const { endpointId: id, target, from } = context;
  const to = describeTarget(target);
  switch (result.kind) {
    case "switched":
      return {
        model: result.endpoint.attributes.model_reference,
        done: [
          result.sent
            ? `switched the model of ${id} to ${to} in place (${result.rollingId ?? "CreateEndpointRolling's answer was lost; GetEndpoint shows the new model"})`
            : `${id} already served ${to}: no model switch was sent`,
        ],
        notes: [],
        error: null,
        stop: "",
        changed: result.sent,
      };
    case "foreign":
      return reportForeign(result, context);
    case "unknown":
      return {
        model: from,
        done: [`started the model switch ${result.rollingId} of ${id}`],
        notes: [`the state keeps ${describeModel(from)} until a plan reads where the switch ended`],
        error: new ArkSyncError(
          "external",
          "model_switch_unknown",
          `outcome unknown: the model switch ${result.rollingId} of ${id} to ${to} may still be running: ${result.reason}${lastSeen(result.seen)}`,
          { hint: `ark-sync left it alone. ${lookHint(result.rollingId)}` },
        ),
        stop: "Model switch state unknown",
        changed: false,
      };
    case "failed":
      return reportFailed(result, context);
  }
}

function reportForeign(
  result: Extract<SwitchResult, { kind: "foreign" }>,
  { endpointId: id, from }: ReportContext,
): SwitchReport {
  const { rollingId, info, lostAnswer } = result;
  const switching = describeSwitch(rollingId, info);
  const base = { model: from, done: [], notes: [], stop: "Model switch not started", changed: false };
  if (lostAnswer && !info?.to) {
    return {
      ...base,
      error: new ArkSyncError(
        "external",
        "model_switch_unknown",
        `outcome unknown: CreateEndpointRolling's answer was lost, and ${id} now has a model switch in progress, ${switching}; it may be the one ark-sync asked for or someone else's`,
        { hint: `It is left running. ${lookHint(rollingId)}` },
      ),
    };
  }
  const lead = lostAnswer
    ? `CreateEndpointRolling's answer was lost, and ${id} is now switching its model`
    : `${id} is switching its model`;
  return {
    ...base,
    error: new ArkSyncError(
      "external",
      "model_switch_foreign",
      `${lead} in a switch ark-sync did not start: ${switching}`,
      {
        hint: "ark-sync changes nothing on an endpoint while a switch runs. Once it has ended, plan and apply again.",
      },
    ),
  };
}

function reportFailed(
  result: Extract<SwitchResult, { kind: "failed" }>,
  context: ReportContext,
): SwitchReport {
  const { endpointId: id, from } = context;
  const { rollingId, reason, undo, end } = result;
  const done = [`started the model switch ${rollingId} of ${id}`];
  if (undo.kind === "sent" || undo.kind === "acted") done.push(`${pastTense(undo.action)} ${rollingId}`);
  const undone = describeUndo(undo);
  const kept = `the state keeps ${describeModel(from)}`;
  const model = end.kind === "ended" ? end.endpoint.attributes.model_reference : from;
  const failed = (note: string, stop: string, hint?: string): SwitchReport => ({
    model,
    changed: end.kind === "stopped" || describeModel(model) !== describeModel(from),
    done,
    notes: [`the model switch ${rollingId} ${undone}${note}`],
    error:
      end.kind === "not_waited"
        ? new ArkSyncError("external", "interrupted", `model switch of ${id} interrupted`)
        : new ArkSyncError(
            "external",
            "model_switch_failed",
            `the model switch ${rollingId} of ${id} failed: ${reason}`,
            hint === undefined ? {} : { hint },
          ),
    stop,
  });
  switch (end.kind) {
    case "ended": {
      const live = describeModel(end.endpoint.attributes.model_reference);
      return failed(
        `; ${live} is live and recorded in state`,
        `Model switch ${shortUndo(undo)}`,
        "Fix the cause, then plan and apply again.",
      );
    }
    case "stopped":
      return failed(
        `; it did not end: after standing still for ${formatDuration(context.stallTimeoutMs)}, ${describeSplit(rollingId, end.seen, context)}; ${kept}`,
        `Model switch did not end (${percentOf(end.seen)}% on the new model)`,
        `Traffic is still split between two models. ${finishHint(rollingId)}`,
      );
    case "unread":
      return failed(
        `; where it stands is unknown (reading it failed: ${end.reason}), and it may still be running${lastSeen(end.seen)}; ${kept}`,
        "Model switch state unknown",
        `It may still be running. ${lookHint(rollingId)}`,
      );
    case "not_waited":
      return failed(
        ` when apply was interrupted, and was not waited for; ${kept}, which the endpoint served before the switch; the next plan shows where the switch ended`,
        `Model switch ${shortUndo(undo)} (interrupted)`,
      );
  }
}

function describeUndo(undo: UndoStep): string {
  switch (undo.kind) {
    case "sent":
      return `was ${pastTense(undo.action)}`;
    case "acted":
      return `was ${pastTense(undo.action)}: ${actionName(undo.action)} failed (${undo.error}), but read back, Ark was taking the switch back`;
    case "refused":
      return `could not be ${pastTense(undo.action)}: ${undo.error}`;
    case "ark":
      return `was being taken back by Ark already (${undo.status})`;
    case "over":
      return "had already ended on Ark";
  }
}

function shortUndo(undo: UndoStep): string {
  switch (undo.kind) {
    case "sent":
    case "acted":
      return pastTense(undo.action);
    case "refused":
      return `not ${pastTense(undo.action)}`;
    case "ark":
      return "taken back by Ark";
    case "over":
      return "over";
  }
}

function pastTense(action: "cancel" | "rollback"): string {
  return action === "cancel" ? "cancelled" : "rolled back";
}

function actionName(action: "cancel" | "rollback"): string {
  return action === "cancel" ? "CancelEndpointRolling" : "RollbackEndpointRolling";
}

/** `eprol-… is Reverting with 2% of traffic on <target> and 98% on <old model>`. */
function describeSplit(rollingId: string, seen: SwitchSeen, context: ReportContext): string {
  if (seen.info === null)
    return `${rollingId} still holds ${context.endpointId}, and GetEndpointRolling no longer knows it`;
  const percent = seen.info.percent;
  return `${rollingId} is ${seen.info.status} with ${percent}% of traffic on ${describeTarget(context.target)} and ${100 - percent}% on ${describeModel(context.from)}`;
}

function percentOf(seen: SwitchSeen): number {
  return seen.info?.percent ?? 0;
}

function lastSeen(seen: SwitchSeen): string {
  return seen.info === null ? "" : ` (last seen ${seen.info.status} at ${seen.info.percent}%)`;
}

function lookHint(rollingId: string): string {
  return `Look at it in the Ark console, or with GetEndpointRolling {"Id":"${rollingId}"}; the next plan holds the endpoint while the switch runs, then shows the model it ended on.`;
}

function finishHint(rollingId: string): string {
  return `Cancel the switch in the Ark console, or with CancelEndpointRolling {"Id":"${rollingId}"}; the next plan holds the endpoint until the switch ends.`;
}

/** `eprol-… to doubao-1-5-pro-32k 250415 (from … 250115), Running at 40%`, with what Ark does not say said so. */
export function describeSwitch(rollingId: string, info: ModelSwitchInfo | null): string {
  if (info === null) return `${rollingId} (GetEndpointRolling does not know it)`;
  const where = info.to
    ? ` to ${describeTarget(info.to)}${info.from ? ` (from ${describeTarget(info.from)})` : ""}`
    : " (Ark does not say to which model)";
  return `${rollingId}${where}, ${info.status} at ${info.percent}%`;
}

export function describeModel(model: ModelReference | undefined): string {
  if (model === undefined) return "(none)";
  return "foundation_model" in model ? describeTarget(model.foundation_model) : model.custom_model_id;
}

function describeTarget(target: SwitchTarget): string {
  return `${target.name} ${target.model_version}`;
}
