// Taking a failed model switch back, and waiting to see where it ends (docs/apply.md, "Model
// switches"). CancelEndpointRolling was seen to return all traffic to the old model; RollbackEndpointRolling
// to step back only one step (docs/ark-api.md, Model switches), so neither is taken at its word: after
// the undo, the endpoint and the switch are read until the endpoint no longer holds the switch, and
// where it stopped is reported when it does not. An undo whose answer is lost or refused is read back
// too: Ark may have acted on it.
import type { ModelSwitchInfo, SwitchStart, SwitchTarget } from "../ark/client.js";
import type { LiveEndpoint } from "../core/types.js";

/** What undoes a switch that failed, stalled or was interrupted: CancelEndpointRolling returns traffic to
 * the old model at once; RollbackEndpointRolling steps it back. */
export type SwitchUndo = "rollback" | "cancel";

export interface SwitchClient {
  startModelSwitch(endpointId: string, model: SwitchTarget): Promise<SwitchStart>;
  getModelSwitch(rollingId: string): Promise<ModelSwitchInfo | null>;
  getEndpoint(id: string): Promise<LiveEndpoint | null>;
  /** Sent even while apply is stopping: an undo must not wait for its turn. */
  rollbackModelSwitch(rollingId: string): Promise<void>;
  cancelModelSwitch(rollingId: string): Promise<void>;
}

export interface SwitchOptions {
  undo: SwitchUndo;
  pollMs: number;
  /** How long progress may stand still before a switch, or its undo, counts as stuck. */
  stallTimeoutMs: number;
  /** Aborted on interrupt: the switch is undone and not waited for. */
  signal: AbortSignal;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Told what is done about a failed switch, as a progress line. */
  onNote(text: string): void;
}

/** The last look at a switch: GetEndpoint and GetEndpointRolling (null: not read, or unknown to Ark). */
export interface SwitchSeen {
  endpoint: LiveEndpoint | null;
  info: ModelSwitchInfo | null;
}

/** What ark-sync did to take a failed switch back. */
export type UndoStep =
  /** The undo was sent and answered. */
  | { kind: "sent"; action: SwitchUndo }
  /** The undo failed (`error`: lost answer, refusal), but the switch read back is going back or over. */
  | { kind: "acted"; action: SwitchUndo; error: string }
  /** The undo failed and the switch read back is neither going back nor over. */
  | { kind: "refused"; action: SwitchUndo; error: string }
  /** Nothing sent: Ark was already taking the switch back (its status word). */
  | { kind: "ark"; status: string }
  /** Nothing sent: the endpoint no longer held the switch. */
  | { kind: "over" };

/** Where a failed switch ended, or stood when ark-sync stopped looking. */
export type SwitchEnd =
  /** The endpoint holds no switch: as GetEndpoint then read it. */
  | { kind: "ended"; endpoint: LiveEndpoint }
  /** Still in progress after standing still for the stall timeout. */
  | { kind: "stopped"; seen: SwitchSeen }
  /** It could not be read (`reason`); `seen` is the last look. */
  | { kind: "unread"; reason: string; seen: SwitchSeen }
  /** Interrupted: the undo was sent (or not needed) and not waited for. */
  | { kind: "not_waited" };

/** Words for a switch Ark is already taking back (seen: Reverting, Reverted; docs/ark-api.md). */
const goingBack = new Set(["Reverting", "Reverted", "Canceled", "Cancelled"]);

/** Takes back the switch last seen as `seen`, then waits for its end (not on an interrupt). `shown`:
 * Ark showed the switch at least once, so an endpoint without it means the switch is over. */
export async function undoSwitch(
  client: SwitchClient,
  endpointId: string,
  rollingId: string,
  { seen, shown }: { seen: SwitchSeen; shown: boolean },
  options: SwitchOptions,
): Promise<{ undo: UndoStep; end: SwitchEnd }> {
  let undo: UndoStep;
  if (seen.info !== null && goingBack.has(seen.info.status)) {
    undo = { kind: "ark", status: seen.info.status };
  } else if (shown && seen.endpoint !== null && seen.endpoint.rolling_id !== rollingId) {
    undo = { kind: "over" };
  } else {
    undo = await sendUndo(client, endpointId, rollingId, options);
  }
  if (options.signal.aborted) return { undo, end: { kind: "not_waited" } };
  return { undo, end: await waitForEnd(client, endpointId, rollingId, seen, options) };
}

async function sendUndo(
  client: SwitchClient,
  endpointId: string,
  rollingId: string,
  options: SwitchOptions,
): Promise<UndoStep> {
  const action = options.undo;
  options.onNote(`${action === "cancel" ? "Cancelling" : "Rolling back"} the model switch ${rollingId}`);
  try {
    if (action === "cancel") await client.cancelModelSwitch(rollingId);
    else await client.rollbackModelSwitch(rollingId);
    return { kind: "sent", action };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Read back: a lost answer, or a refusal because the switch has just ended, may hide an undo Ark did.
    const after = await look(client, endpointId, rollingId);
    const back =
      after !== null &&
      after.endpoint !== null &&
      (after.endpoint.rolling_id !== rollingId || (after.info !== null && goingBack.has(after.info.status)));
    return { kind: back ? "acted" : "refused", action, error: message };
  }
}

/** Reads until the endpoint no longer holds the switch, its progress stands still for the stall
 * timeout, a read fails, or apply is interrupted. */
async function waitForEnd(
  client: SwitchClient,
  endpointId: string,
  rollingId: string,
  last: SwitchSeen,
  options: SwitchOptions,
): Promise<SwitchEnd> {
  let seen = last;
  let position = describe(seen.info);
  let movedAt = options.now();
  for (;;) {
    let now: SwitchSeen;
    try {
      now = await read(client, endpointId, rollingId);
    } catch (error) {
      if (options.signal.aborted) return { kind: "not_waited" };
      const reason = error instanceof Error ? error.message : String(error);
      return { kind: "unread", reason, seen };
    }
    seen = now;
    if (now.endpoint === null) return { kind: "unread", reason: `${endpointId} was deleted`, seen };
    if (now.endpoint.rolling_id !== rollingId) return { kind: "ended", endpoint: now.endpoint };
    if (describe(now.info) !== position) {
      position = describe(now.info);
      movedAt = options.now();
    } else if (options.now() - movedAt >= options.stallTimeoutMs) {
      return { kind: "stopped", seen };
    }
    try {
      await options.sleep(options.pollMs, options.signal);
    } catch {
      return { kind: "not_waited" };
    }
  }
}

async function read(client: SwitchClient, endpointId: string, rollingId: string): Promise<SwitchSeen> {
  const [endpoint, info] = await Promise.all([
    client.getEndpoint(endpointId),
    client.getModelSwitch(rollingId),
  ]);
  return { endpoint, info };
}

/** A read that may fail: null then. */
async function look(client: SwitchClient, endpointId: string, rollingId: string): Promise<SwitchSeen | null> {
  try {
    return await read(client, endpointId, rollingId);
  } catch {
    return null;
  }
}

function describe(info: ModelSwitchInfo | null): string {
  return info === null ? "" : `${info.status} ${info.percent}`;
}
