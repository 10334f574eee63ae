// One rolling model switch, start to end (docs/apply.md, "Model switches"; docs/ark-api.md,
// CreateEndpointRolling and GetEndpointRolling). Ark moves traffic to the new model step by step on the
// same endpoint. How a switch ends is read from the endpoint itself, never from a guessed status word:
// it is complete once the endpoint serves the target and has no RollingId, or once RollingGray reaches
// 100. It has failed when the endpoint turns Failed or Abnormal, when the switch is gone or reports a
// word Ark uses for failing or reverting, or when its progress stalls for the wait timeout; then it
// is rolled back (or cancelled), and the caller records the model that is live.
import type { ModelSwitchInfo, SwitchStart } from "../ark/client.js";
import { ArkSyncError } from "../core/errors.js";
import { canonicalJson } from "../core/plan-hash.js";
import type { LiveEndpoint, ModelReference } from "../core/types.js";
import { formatDuration } from "./format-duration.js";

/** What undoes a switch that failed, timed out or was interrupted: Ark's RollbackEndpointRolling steps
 * traffic back gradually; CancelEndpointRolling returns it to the old model at once. */
export type SwitchUndo = "rollback" | "cancel";

export interface SwitchClient {
  startModelSwitch(endpointId: string, model: { name: string; model_version: string }): Promise<SwitchStart>;
  getModelSwitch(rollingId: string): Promise<ModelSwitchInfo | null>;
  getEndpoint(id: string): Promise<LiveEndpoint | null>;
  /** Sent even while apply is stopping: an undo must not wait for its turn. */
  rollbackModelSwitch(rollingId: string): Promise<void>;
  cancelModelSwitch(rollingId: string): Promise<void>;
}

export interface SwitchOptions {
  undo: SwitchUndo;
  pollMs: number;
  /** How long progress may stand still before the switch counts as stuck. */
  stallTimeoutMs: number;
  /** Aborted on interrupt: the switch is undone and not waited for. */
  signal: AbortSignal;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Told each new percentage of traffic on the new model. */
  onProgress(percent: number): void;
}

export type SwitchResult =
  | { switched: true }
  /** `live`: the endpoint as read after the undo, or null when it was not waited for. */
  | { switched: false; reason: string; undone: string; live: LiveEndpoint | null };

/** Words for a switch Ark is already taking back (seen: Reverting, Reverted; docs/ark-api.md): no undo
 * is sent. */
const goingBack = new Set(["Reverting", "Reverted", "Canceled", "Cancelled"]);
/** A switch that stopped and still holds the endpoint: it is undone. */
const stopped = new Set(["Failed"]);

export async function runModelSwitch(
  client: SwitchClient,
  endpointId: string,
  target: ModelReference,
  options: SwitchOptions,
): Promise<SwitchResult> {
  if (!("foundation_model" in target)) {
    throw new ArkSyncError(
      "internal",
      "apply_not_updatable",
      "only a foundation model can be switched in place",
    );
  }
  const start = await client.startModelSwitch(endpointId, target.foundation_model);
  if (start.kind === "served") {
    options.onProgress(100);
    return { switched: true };
  }
  if (start.kind === "foreign") {
    throw new ArkSyncError(
      "external",
      "model_switch_foreign",
      `CreateEndpointRolling's answer was lost, and ${endpointId} is now switching its model in a switch ark-sync did not start (${start.rollingId})`,
    );
  }
  const { rollingId } = start;
  let percent = -1;
  let progressAt = options.now();
  let failure: string | null = null;
  let info: ModelSwitchInfo | null = null;
  // A switch just made may not show yet; only one seen before and now gone has ended.
  let seen = false;
  while (failure === null) {
    if (options.signal.aborted) {
      failure = "interrupted";
      break;
    }
    let endpoint: LiveEndpoint | null;
    try {
      [endpoint, info] = await Promise.all([
        client.getEndpoint(endpointId),
        client.getModelSwitch(rollingId),
      ]);
    } catch (error) {
      // A look cut short by an interrupt (waiting for its turn, or between retries) still undoes the switch.
      if (options.signal.aborted) {
        failure = "interrupted";
        break;
      }
      throw error;
    }
    seen ||= info !== null || endpoint?.rolling_id !== undefined;
    if (endpoint === null) {
      throw new ArkSyncError(
        "external",
        "endpoint_vanished",
        `${endpointId} was deleted while switching its model`,
      );
    }
    if (servesTarget(endpoint, target) || (info?.percent ?? 0) >= 100) {
      options.onProgress(100);
      return { switched: true };
    }
    failure = failureOf(endpoint, info, seen);
    if (failure !== null) break;
    const now = info?.percent ?? 0;
    if (now !== percent) {
      percent = now;
      progressAt = options.now();
      options.onProgress(now);
    } else if (options.now() - progressAt >= options.stallTimeoutMs) {
      failure = `no progress for ${formatDuration(options.stallTimeoutMs)} (still at ${now}%)`;
      break;
    }
    try {
      await options.sleep(options.pollMs, options.signal);
    } catch {
      failure = "interrupted";
    }
  }
  return undo(client, endpointId, rollingId, { info, seen }, failure, options);
}

async function undo(
  client: SwitchClient,
  endpointId: string,
  rollingId: string,
  { info, seen }: { info: ModelSwitchInfo | null; seen: boolean },
  reason: string,
  options: SwitchOptions,
): Promise<SwitchResult> {
  let undone: string;
  if (info !== null && goingBack.has(info.status)) {
    undone = `Ark is taking it back (${info.status})`;
  } else if (info === null && seen) {
    undone = "the switch has ended on Ark";
  } else {
    try {
      if (options.undo === "rollback") await client.rollbackModelSwitch(rollingId);
      else await client.cancelModelSwitch(rollingId);
      undone = options.undo === "rollback" ? `rolled back (${rollingId})` : `cancelled (${rollingId})`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ArkSyncError(
        "external",
        "model_switch_failed",
        `the model switch ${rollingId} failed (${reason}) and could not be ${options.undo === "rollback" ? "rolled back" : "cancelled"}: ${message}`,
        {
          hint: `Ark may still be switching ${endpointId}; roll it back in the Ark console (rolling ${rollingId}).`,
        },
      );
    }
  }
  // Interrupted: the undo is sent, not waited for; the caller records the old model, which the undo restores.
  if (options.signal.aborted) return { switched: false, reason, undone, live: null };
  return { switched: false, reason, undone, live: await waitUntilSettled(client, endpointId, options) };
}

/** Polls until the endpoint has no switch in progress, or the stall timeout passes; the last read wins. */
async function waitUntilSettled(
  client: SwitchClient,
  endpointId: string,
  options: SwitchOptions,
): Promise<LiveEndpoint | null> {
  const deadline = options.now() + options.stallTimeoutMs;
  for (;;) {
    const endpoint = await client.getEndpoint(endpointId);
    if (endpoint === null || endpoint.rolling_id === undefined || options.now() >= deadline) return endpoint;
    try {
      await options.sleep(options.pollMs, options.signal);
    } catch {
      return endpoint;
    }
  }
}

function failureOf(endpoint: LiveEndpoint, info: ModelSwitchInfo | null, seen: boolean): string | null {
  if (endpoint.status === "Failed" || endpoint.status === "Abnormal") {
    return `${endpoint.endpoint_id} is ${endpoint.status}${endpoint.status_reason ? `: ${endpoint.status_reason}` : ""}`;
  }
  if (info === null)
    return seen && endpoint.rolling_id === undefined ? "the switch ended without switching" : null;
  if (goingBack.has(info.status) || stopped.has(info.status))
    return `the switch is ${info.status} at ${info.percent}%`;
  return null;
}

function servesTarget(endpoint: LiveEndpoint, target: ModelReference): boolean {
  return endpoint.rolling_id === undefined && sameModel(endpoint.attributes.model_reference, target);
}

function sameModel(a: ModelReference | undefined, b: ModelReference): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b);
}
