// One rolling model switch, start to end (docs/apply.md, "Model switches"; docs/ark-api.md, Model
// switches). The endpoint is read before anything is sent: a switch already in progress is someone
// else's (the plan holds such endpoints) and is left alone; an endpoint already serving the target needs
// none. Ark then moves traffic to the new model step by step on the same endpoint. How a switch ends is
// read from GetEndpoint, never from a guessed status word: it is complete once the endpoint serves the
// target with no switch in progress. It has failed when the endpoint turns Failed or Abnormal, when the
// switch ends elsewhere or reports a word Ark uses for failing or reverting, or when its progress stalls
// for the wait timeout; it is then undone (switch-undo.ts). When it cannot be read, where it stands is
// unknown and it may still be running: it is left alone and said so.
import type { ModelSwitchInfo, SwitchTarget } from "../ark/client.js";
import { servesModel } from "../ark/model-switch.js";
import { ArkSyncError } from "../core/errors.js";
import type { LiveEndpoint } from "../core/types.js";
import { formatDuration } from "./format-duration.js";
import {
  type SwitchClient,
  type SwitchEnd,
  type SwitchOptions,
  type SwitchSeen,
  type UndoStep,
  undoSwitch,
} from "./switch-undo.js";

export type {
  SwitchClient,
  SwitchEnd,
  SwitchOptions,
  SwitchSeen,
  SwitchUndo,
  UndoStep,
} from "./switch-undo.js";

export interface WatchOptions extends SwitchOptions {
  /** Told each new percentage of traffic on the new model. */
  onProgress(percent: number): void;
}

export type SwitchResult =
  /** GetEndpoint shows the target with no switch in progress. `rollingId` null: no switch is known,
   * because Ark already served the target before CreateEndpointRolling was sent (`sent` false), or
   * once its answer was lost (`sent` true). */
  | { kind: "switched"; rollingId: string | null; sent: boolean; endpoint: LiveEndpoint }
  /** A switch ark-sync did not start holds the endpoint: seen before anything was sent, or found after
   * CreateEndpointRolling's answer was lost (`lostAnswer`). `info` null: Ark did not describe it. */
  | { kind: "foreign"; rollingId: string; info: ModelSwitchInfo | null; lostAnswer: boolean }
  /** The switch went wrong (`reason`, "interrupted" on an interrupt); `undo` is what ark-sync did about
   * it, `end` where the switch ended, or stood when ark-sync stopped looking. */
  | { kind: "failed"; rollingId: string; reason: string; undo: UndoStep; end: SwitchEnd }
  /** The switch could not be read (`reason`): it may still be running; `seen` is the last look. */
  | { kind: "unknown"; rollingId: string; reason: string; seen: SwitchSeen };

/** The read before a switch: the endpoint as it is (`ready`), or a result that needs no switch sent. */
export type SwitchReadiness =
  | { kind: "ready"; endpoint: LiveEndpoint }
  | Extract<SwitchResult, { kind: "switched" | "foreign" }>;

/** GetEndpoint (and GetEndpointRolling of a switch it shows) before anything is sent for a switch. */
export async function readBeforeSwitch(
  client: Pick<SwitchClient, "getEndpoint" | "getModelSwitch">,
  endpointId: string,
  target: SwitchTarget,
): Promise<SwitchReadiness> {
  const endpoint = await client.getEndpoint(endpointId);
  if (endpoint === null) throw vanished(endpointId);
  const rollingId = endpoint.rolling_id;
  if (rollingId !== undefined) {
    return { kind: "foreign", rollingId, info: await client.getModelSwitch(rollingId), lostAnswer: false };
  }
  if (servesModel(endpoint, target)) return { kind: "switched", rollingId: null, sent: false, endpoint };
  return { kind: "ready", endpoint };
}

/** Starts the switch to `target` and follows it to its end. Throws when it cannot be started. */
export async function runModelSwitch(
  client: SwitchClient,
  endpointId: string,
  target: SwitchTarget,
  options: WatchOptions,
): Promise<SwitchResult> {
  const start = await client.startModelSwitch(endpointId, target);
  switch (start.kind) {
    case "served":
      options.onProgress(100);
      return { kind: "switched", rollingId: null, sent: true, endpoint: start.endpoint };
    case "foreign":
      return { kind: "foreign", rollingId: start.rollingId, info: start.info, lostAnswer: true };
    case "started":
      break;
  }
  const { rollingId } = start;
  const watched = await watch(client, endpointId, rollingId, target, options);
  if (watched.kind !== "failing") return watched;
  const { undo, end } = await undoSwitch(client, endpointId, rollingId, watched, options);
  // A switch that ended by itself on the target is complete, whatever the look before said.
  if (undo.kind === "over" && end.kind === "ended" && servesModel(end.endpoint, target)) {
    return { kind: "switched", rollingId, sent: true, endpoint: end.endpoint };
  }
  return { kind: "failed", rollingId, reason: watched.reason, undo, end };
}

type Watched =
  | Extract<SwitchResult, { kind: "switched" | "unknown" }>
  /** `shown`: whether Ark showed the switch at least once (a switch just made may not show yet). */
  | { kind: "failing"; reason: string; seen: SwitchSeen; shown: boolean };

/** Looks at the switch and the endpoint every pollMs until the switch is complete or has failed. */
async function watch(
  client: SwitchClient,
  endpointId: string,
  rollingId: string,
  target: SwitchTarget,
  options: WatchOptions,
): Promise<Watched> {
  let percent = -1;
  let progressAt = options.now();
  let seen: SwitchSeen = { endpoint: null, info: null };
  let shown = false;
  const failing = (reason: string): Watched => ({ kind: "failing", reason, seen, shown });
  for (;;) {
    if (options.signal.aborted) return failing("interrupted");
    let endpoint: LiveEndpoint | null;
    let info: ModelSwitchInfo | null;
    try {
      [endpoint, info] = await Promise.all([
        client.getEndpoint(endpointId),
        client.getModelSwitch(rollingId),
      ]);
    } catch (error) {
      // A look cut short by an interrupt (waiting for its turn, or between retries) still undoes the switch.
      if (options.signal.aborted) return failing("interrupted");
      return { kind: "unknown", rollingId, reason: readFailure(error), seen };
    }
    if (endpoint === null) throw vanished(endpointId);
    seen = { endpoint, info };
    shown ||= info !== null || endpoint.rolling_id === rollingId;
    if (servesModel(endpoint, target)) {
      options.onProgress(100);
      return { kind: "switched", rollingId, sent: true, endpoint };
    }
    const failure = failureOf(endpoint, info, rollingId, shown);
    if (failure !== null) return failing(failure);
    const now = info?.percent ?? 0;
    if (now !== percent) {
      percent = now;
      progressAt = options.now();
      options.onProgress(now);
    } else if (options.now() - progressAt >= options.stallTimeoutMs) {
      return failing(`no progress for ${formatDuration(options.stallTimeoutMs)} (still at ${now}%)`);
    }
    try {
      await options.sleep(options.pollMs, options.signal);
    } catch {
      return failing("interrupted");
    }
  }
}

/** Words for a switch that stopped or is going back (seen: Reverting, Reverted; docs/ark-api.md). */
const failedWords = new Set(["Failed", "Reverting", "Reverted", "Canceled", "Cancelled"]);

function failureOf(
  endpoint: LiveEndpoint,
  info: ModelSwitchInfo | null,
  rollingId: string,
  shown: boolean,
): string | null {
  if (endpoint.status === "Failed" || endpoint.status === "Abnormal") {
    return `${endpoint.endpoint_id} is ${endpoint.status}${endpoint.status_reason ? `: ${endpoint.status_reason}` : ""}`;
  }
  if (shown && endpoint.rolling_id !== rollingId) return "the switch ended without switching";
  if (info !== null && failedWords.has(info.status))
    return `the switch is ${info.status} at ${info.percent}%`;
  return null;
}

function readFailure(error: unknown): string {
  return `reading it failed: ${error instanceof Error ? error.message : String(error)}`;
}

function vanished(endpointId: string): ArkSyncError {
  return new ArkSyncError(
    "external",
    "endpoint_vanished",
    `${endpointId} was deleted while switching its model`,
  );
}
